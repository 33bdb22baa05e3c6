/* SPDX-License-Identifier: Apache-2.0 */
/* judge_stubs.h - see judge_stubs.c. Defined by the program that links the stubs. */
#ifndef TEEABI_JUDGE_STUBS_H
#define TEEABI_JUDGE_STUBS_H
#include "../tst.h"
/* a judge called the file helper fn (with arg): report it as a finding */
void judge_stub_misuse(const char *fn, const char *arg);
/* a judge called tst_brk (formatted msg); does not return */
void judge_stub_brk(enum tst_result r, const char *file, int line, const char *msg) __attribute__((noreturn));
#endif
