/* SPDX-License-Identifier: Apache-2.0 */
/* testutil.h - helpers shared by the cmocka unit tests (linked into every build/tests/test_*). */
#ifndef TEEABI_TESTUTIL_H
#define TEEABI_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Path of a file under the source tree: $TEEABI_SRCDIR/rel, default ./rel (tests run from
 * the repository root). Returns a static buffer. */
const char *tu_src_path(const char *rel);
/* Read a whole file (malloc'd, NUL-terminated one past len). Fails the test on error. */
uint8_t *tu_read(const char *rel, size_t *len);
/* Decode a hex string (no spaces) into out; fails the test on bad input. */
void tu_unhex(uint8_t *out, size_t n, const char *hex);
/* assert_memory_equal against a hex string, with both shown on failure. */
void tu_assert_hex(const uint8_t *got, size_t n, const char *hex, const char *what);

#endif
