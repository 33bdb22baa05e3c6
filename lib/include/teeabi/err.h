/* SPDX-License-Identifier: Apache-2.0 */
/* teeabi/err.h - the library's single error enum, with a stable name and message per code. */
#ifndef TEEABI_ERR_H
#define TEEABI_ERR_H

typedef enum teeabi_err {
#define X(name, msg) TEEABI_##name,
#include "teeabi/errors.def"
#undef X
	TEEABI_ERR_COUNT
} teeabi_err;

/* "E_QUOTE_VERSION" etc.; "E_?" for out-of-range values. Never NULL. */
const char *teeabi_err_name(teeabi_err e);
/* One-line English message. Never NULL. */
const char *teeabi_err_msg(teeabi_err e);

#endif
