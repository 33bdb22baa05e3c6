/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_trivial.c - the reference harness: next to no work per input (a few branches
 * on the first bytes), so its exec/s is what the engine, the sanitizers and the machine
 * allow at most. `make fuzz` runs it in the same campaign as the targets and reports each
 * target's exec/s per core as a fraction of it (scripts/fuzz_run.py): a ratio that means
 * the same on any machine. It tests nothing and is no target of its own (not counted in
 * coverage, planted bugs or the fuzz smoke's targets).
 */
#include "fuzz.h"

static volatile unsigned sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned v = 0;
	if (size > 0 && data[0] == 't')
		v++;
	if (size > 1 && data[1] == 'e')
		v++;
	if (size > 2 && data[2] == 'e')
		v++;
	sink = v;
	return 0;
}
