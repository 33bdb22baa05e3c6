/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keycache.c - a few certificates' public keys, decoded once (keycache.h).
 *
 * Verifying a TDX quote's QE report signature decoded the PCK leaf from its PEM chain on
 * every call, most of the cost of the check; an SNP report verify decoded its VCEK every
 * time. A verifier sees the same few certificates again and again (one per platform), so
 * the key of each is kept: KEYCACHE_SLOTS entries, replaced round robin, each with a copy
 * of the exact input bytes (compared in full on lookup: the cache can only ever answer
 * with the key those very bytes decode to) and its loader. Inputs above KEYCACHE_MAX_BYTES
 * are decoded without being kept. The entries live until the process ends.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "keycache.h"

#define KEYCACHE_SLOTS 4
#define KEYCACHE_MAX_BYTES (64 * 1024)

struct slot {
	uint8_t *bytes;
	size_t len;
	teeabi_key_loader load;
	EVP_PKEY *key;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[KEYCACHE_SLOTS];
static unsigned next_slot;

static EVP_PKEY *lookup(const uint8_t *p, size_t n, teeabi_key_loader load)
{
	for (unsigned i = 0; i < KEYCACHE_SLOTS; i++) {
		struct slot *s = &slots[i];
		if (s->key && s->load == load && s->len == n && memcmp(s->bytes, p, n) == 0)
			return EVP_PKEY_up_ref(s->key) == 1 ? s->key : NULL;
	}
	return NULL;
}

EVP_PKEY *teeabi_keycache_get(const uint8_t *p, size_t n, teeabi_key_loader load)
{
	if (!p || !n || n > KEYCACHE_MAX_BYTES)
		return p && n ? load(p, n) : NULL;
	pthread_mutex_lock(&lock);
	EVP_PKEY *k = lookup(p, n, load);
	pthread_mutex_unlock(&lock);
	if (k)
		return k;
	k = load(p, n); /* outside the lock: a decode takes long */
	if (!k)
		return NULL;
	uint8_t *copy = malloc(n);
	if (!copy || EVP_PKEY_up_ref(k) != 1) {
		free(copy);
		return k; /* not kept; still the right answer */
	}
	memcpy(copy, p, n);
	pthread_mutex_lock(&lock);
	struct slot *s = &slots[next_slot++ % KEYCACHE_SLOTS];
	EVP_PKEY_free(s->key);
	free(s->bytes);
	*s = (struct slot){ copy, n, load, k };
	pthread_mutex_unlock(&lock);
	return k;
}
