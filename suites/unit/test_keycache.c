/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_keycache.c - the certificate key cache of libteeabi (lib/keycache.c), through a
 * loader that counts its calls: the same bytes are decoded once; one different byte, one
 * byte more or less, or another loader is another entry; a failed decode is not kept; the
 * oldest of more entries than slots is decoded again; every returned key is a reference of
 * the caller's own (freeing it leaves the cached one usable).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include "../../lib/keycache.h"

static unsigned loads;
static EVP_PKEY *the_key;

/* Every input whose first byte is not 0xEE "decodes" to the_key. */
static EVP_PKEY *counting_loader(const uint8_t *p, size_t n)
{
	loads++;
	if (n == 0 || p[0] == 0xEE)
		return NULL;
	return EVP_PKEY_up_ref(the_key) == 1 ? the_key : NULL;
}

static EVP_PKEY *other_loader(const uint8_t *p, size_t n)
{
	return counting_loader(p, n);
}

static void get_ok(const uint8_t *p, size_t n, teeabi_key_loader l, unsigned want_loads)
{
	EVP_PKEY *k = teeabi_keycache_get(p, n, l);
	assert_ptr_equal(k, the_key);
	EVP_PKEY_free(k);
	if (loads != want_loads)
		fail_msg("after a get of %zu bytes: %u decodes, want %u", n, loads, want_loads);
}

static void test_keycache(void **state)
{
	(void)state;
	the_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(the_key);
	uint8_t a[300];
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 13 + 1);

	get_ok(a, sizeof(a), counting_loader, 1);
	get_ok(a, sizeof(a), counting_loader, 1); /* cached */
	uint8_t copy[300];
	memcpy(copy, a, sizeof(a));
	get_ok(copy, sizeof(copy), counting_loader, 1); /* same bytes elsewhere: cached */
	copy[299] ^= 1;
	get_ok(copy, sizeof(copy), counting_loader, 2); /* last byte differs */
	get_ok(a, sizeof(a) - 1, counting_loader, 3);   /* a prefix */
	get_ok(a, sizeof(a), other_loader, 4);          /* another loader */
	get_ok(a, sizeof(a), counting_loader, 4);       /* still there */

	/* a failed decode is not kept */
	uint8_t bad[8] = { 0xEE };
	assert_null(teeabi_keycache_get(bad, sizeof(bad), counting_loader));
	assert_null(teeabi_keycache_get(bad, sizeof(bad), counting_loader));
	assert_int_equal(loads, 6);
	assert_null(teeabi_keycache_get(NULL, 0, counting_loader));
	assert_null(teeabi_keycache_get(a, 0, counting_loader));

	/* more distinct inputs than slots: the first is decoded again */
	unsigned before = loads;
	for (uint8_t i = 0; i < 8; i++) {
		uint8_t k[16] = { 0x10, i };
		get_ok(k, sizeof(k), counting_loader, before + i + 1u);
	}
	get_ok(a, sizeof(a), counting_loader, before + 9);

	/* our reference is freed; the cached one still serves */
	get_ok(a, sizeof(a), counting_loader, before + 9);
	EVP_PKEY_free(the_key);
	EVP_PKEY *k = teeabi_keycache_get(a, sizeof(a), counting_loader);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_bits(k), 256);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keycache),
	};
	return cmocka_run_group_tests_name("keycache", tests, NULL, NULL);
}
