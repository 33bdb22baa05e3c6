/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/file.h - opening the files a user names (profiles, faults, evidence) without
 * blocking on what is not a regular file, and the name rule of profiles and faults.
 */
#ifndef TEEABI_FILE_H
#define TEEABI_FILE_H

#include <stdbool.h>
#include <stdio.h>

/* Returned (negated) by teeabi_open_regular() for a FIFO, socket, device or directory. */
#define TEEABI_ENOTREG 1000

/*
 * Open path read-only (O_CLOEXEC) if it is a regular file: opened with O_NONBLOCK (a FIFO
 * without a writer does not block the open), checked with fstat, then O_NONBLOCK cleared.
 * Returns the fd, -errno, or -TEEABI_ENOTREG.
 */
int teeabi_open_regular(const char *path);

/* The same as a stdio stream ("r"); NULL with *err = -errno or -TEEABI_ENOTREG. */
FILE *teeabi_fopen_regular(const char *path, int *err);

/* strerror() of a teeabi_open_regular() result; "not a regular file" for -TEEABI_ENOTREG. */
const char *teeabi_open_strerror(int r);

/* A profile or fault name: 1..63 bytes of [A-Za-z0-9._+-], not "." or "..", not starting
 * with '-' (so that a missing value followed by an option is not taken as a name). */
bool teeabi_name_ok(const char *s);

#endif
