/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teeabi/version.h"

#ifndef TEEABI_VERSION
#error "TEEABI_VERSION is not defined: build with the Makefile (it reads the file VERSION)"
#endif

const char *teeabi_version(void)
{
	return TEEABI_VERSION;
}

void teeabi_version_option(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--version") != 0)
		return;
	const char *prog = strrchr(argv[0], '/');
	prog = prog ? prog + 1 : argv[0];
	printf("%s (teeabi) %s\n", prog, TEEABI_VERSION);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
}
