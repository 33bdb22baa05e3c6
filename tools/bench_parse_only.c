/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_parse_only - the least a program can do with a quote: read the file, parse it
 * (teeabi_tdx_quote_parse, no signature checks), print its MRTD. The floor that
 * bench/process.sh sets teeabi-parse against as a whole process. Without an argument it
 * exits at once (an empty program, for the exec cost itself).
 */
#include <stdio.h>
#include "teeabi/tdx.h"

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	if (argc < 2)
		return 0;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct teeabi_tdx_quote q;
	if (teeabi_tdx_quote_parse(buf, n, TEEABI_QUOTE_DEFAULT, &q) != TEEABI_OK)
		return 1;
	char hex[97];
	teeabi_hex(hex, q.td.mrtd, 48);
	printf("%s\n", hex);
	return 0;
}
