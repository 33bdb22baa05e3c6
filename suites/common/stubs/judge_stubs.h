/* SPDX-License-Identifier: Apache-2.0 */
/* judge_stubs.h - see judge_stubs.c. Defined by the program that links the stubs: a judge
 * called the file helper fn (with arg); report it as a finding. */
#ifndef TEEABI_JUDGE_STUBS_H
#define TEEABI_JUDGE_STUBS_H
void judge_stub_misuse(const char *fn, const char *arg);
#endif
