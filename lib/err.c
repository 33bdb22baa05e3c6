/* SPDX-License-Identifier: Apache-2.0 */
#include "teeabi/err.h"

static const char *const names[] = {
#define X(name, msg) #name,
#include "teeabi/errors.def"
#undef X
};
static const char *const msgs[] = {
#define X(name, msg) msg,
#include "teeabi/errors.def"
#undef X
};

const char *teeabi_err_name(teeabi_err e)
{
	return ((unsigned)e < TEEABI_ERR_COUNT) ? names[e] : "E_?";
}

const char *teeabi_err_msg(teeabi_err e)
{
	return ((unsigned)e < TEEABI_ERR_COUNT) ? msgs[e] : "unknown error";
}
