/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fz_json.h - the strict JSON reference parse of the dstack harnesses: json-c in strict
 * mode over exactly len bytes (no NUL inside), only blanks after the value; NULL otherwise.
 */
#ifndef TEEABI_FZ_JSON_H
#define TEEABI_FZ_JSON_H

#include <limits.h>
#include <string.h>
#include <json-c/json.h>

#include "fuzz.h"

static inline json_object *fz_strict_json(const char *s, size_t len)
{
	if (len > INT_MAX || memchr(s, 0, len))
		return NULL;
	json_tokener *t = json_tokener_new_ex(32);
	FZ_CHECK(t, "json_tokener_new_ex");
	json_tokener_set_flags(t, JSON_TOKENER_STRICT);
	json_object *o = json_tokener_parse_ex(t, s, (int)len);
	int good = o && json_tokener_get_error(t) == json_tokener_success;
	size_t used = json_tokener_get_parse_end(t);
	json_tokener_free(t);
	for (size_t i = used; good && i < len; i++)
		good = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
	if (!good) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

#endif
