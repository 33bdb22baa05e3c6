/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keycache.c - a few certificates' public keys and decoded certificates, decoded once
 * (keycache.h).
 *
 * Verifying a TDX quote's QE report signature decoded the PCK leaf from its PEM chain on
 * every call, most of the cost of the check; an SNP report verify decoded its VCEK every
 * time. A verifier sees the same few certificates again and again (one per platform), so
 * the key of each is kept: KEYCACHE_SLOTS entries, replaced round robin, each with a copy
 * of the exact input bytes (compared in full on lookup: the cache can only ever answer
 * with the key those very bytes decode to) and its loader. Inputs above CACHE_MAX_BYTES
 * are decoded without being kept. The entries live until the process ends.
 *
 * The genuineness check (genuine.c) decodes whole chains: the PCK chain of a quote, an SNP
 * certificate table's entries, the user's PEM file and the embedded vendor roots. With
 * OpenSSL 3.0 every certificate decode sets up a provider decoder for its public key, a
 * few hundred allocations; the certificate cache keeps CERTCACHE_SLOTS decoded stacks the
 * same way.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "keycache.h"

#define KEYCACHE_SLOTS 4
#define CERTCACHE_SLOTS 8
#define CACHE_MAX_BYTES (64 * 1024)

typedef void (*loader_id)(void);

struct slot {
	uint8_t *bytes;
	size_t len;
	loader_id load;
	void *obj;
};

/* What a cache holds: ref gives the caller a reference of its own (NULL when out of
 * memory), put drops one; load decodes through the typed loader id. */
struct cache {
	struct slot *slots;
	unsigned nslots, next;
	void *(*ref)(void *obj);
	void (*put)(void *obj);
	void *(*load)(loader_id id, const uint8_t *p, size_t n);
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool disabled;

static void *lookup(struct cache *c, const uint8_t *p, size_t n, loader_id id)
{
	for (unsigned i = 0; i < c->nslots; i++) {
		struct slot *s = &c->slots[i];
		if (s->obj && s->load == id && s->len == n && memcmp(s->bytes, p, n) == 0)
			return c->ref(s->obj);
	}
	return NULL;
}

static void drop_all(struct cache *c)
{
	for (unsigned i = 0; i < c->nslots; i++) {
		c->put(c->slots[i].obj);
		free(c->slots[i].bytes);
		c->slots[i] = (struct slot){ 0 };
	}
}

static void *cache_get(struct cache *c, const uint8_t *p, size_t n, loader_id id)
{
	if (!p || !n)
		return NULL;
	pthread_mutex_lock(&lock);
	bool off = disabled || n > CACHE_MAX_BYTES;
	void *o = off ? NULL : lookup(c, p, n, id);
	pthread_mutex_unlock(&lock);
	if (o || off)
		return o ? o : c->load(id, p, n);
	o = c->load(id, p, n); /* outside the lock: a decode takes long */
	if (!o)
		return NULL;
	uint8_t *copy = malloc(n);
	void *kept = copy ? c->ref(o) : NULL;
	if (!kept) {
		free(copy);
		return o; /* not kept; still the right answer */
	}
	memcpy(copy, p, n);
	pthread_mutex_lock(&lock);
	struct slot *s = &c->slots[c->next++ % c->nslots];
	c->put(s->obj);
	free(s->bytes);
	*s = (struct slot){ copy, n, id, kept };
	pthread_mutex_unlock(&lock);
	return o;
}

static void *key_ref(void *k) { return EVP_PKEY_up_ref(k) == 1 ? k : NULL; }
static void key_put(void *k) { EVP_PKEY_free(k); }
static void *key_load(loader_id id, const uint8_t *p, size_t n) { return ((teeabi_key_loader)id)(p, n); }

static struct slot key_slots[KEYCACHE_SLOTS];
static struct cache keys = { key_slots, KEYCACHE_SLOTS, 0, key_ref, key_put, key_load };

EVP_PKEY *teeabi_keycache_get(const uint8_t *p, size_t n, teeabi_key_loader load)
{
	return cache_get(&keys, p, n, (loader_id)load);
}

static void *certs_ref(void *s) { return X509_chain_up_ref(s); }
static void certs_put(void *s) { sk_X509_pop_free(s, X509_free); }
static void *certs_load(loader_id id, const uint8_t *p, size_t n) { return ((teeabi_certs_loader)id)(p, n); }

static struct slot cert_slots[CERTCACHE_SLOTS];
static struct cache certs = { cert_slots, CERTCACHE_SLOTS, 0, certs_ref, certs_put, certs_load };

STACK_OF(X509) *teeabi_certcache_get(const uint8_t *p, size_t n, teeabi_certs_loader load)
{
	return cache_get(&certs, p, n, (loader_id)load);
}

void teeabi_cache_drop(void)
{
	pthread_mutex_lock(&lock);
	drop_all(&keys);
	drop_all(&certs);
	pthread_mutex_unlock(&lock);
}

void teeabi_cache_set_enabled(bool on)
{
	pthread_mutex_lock(&lock);
	disabled = !on;
	pthread_mutex_unlock(&lock);
	teeabi_cache_drop();
}

bool teeabi_cache_enabled(void)
{
	pthread_mutex_lock(&lock);
	bool on = !disabled;
	pthread_mutex_unlock(&lock);
	return on;
}
