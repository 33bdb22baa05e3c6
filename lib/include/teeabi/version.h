/* SPDX-License-Identifier: Apache-2.0 */
/* teeabi/version.h - the one version every teeabi program prints. It comes from the file
 * VERSION at the top of the tree (the Makefile passes it to lib/version.c only, as
 * -DTEEABI_VERSION), so changing it rebuilds one object. */
#ifndef TEEABI_VERSION_H
#define TEEABI_VERSION_H

/* "0.1.0": the contents of VERSION. Never NULL. */
const char *teeabi_version(void);

/* When argv[1] is exactly "--version": print "<basename of argv[0]> (teeabi) <version>" on
 * stdout and exit 0 (1 when stdout cannot be written). Anything else: return. Only argv[1]
 * is looked at, so `mockenv --profile P -- CMD --version` still runs CMD. Call it first in
 * main(). */
void teeabi_version_option(int argc, char **argv);

#endif
