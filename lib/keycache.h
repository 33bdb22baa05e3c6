/* SPDX-License-Identifier: Apache-2.0 */
/* keycache.h - internal to libteeabi: public keys and certificates, decoded once. */
#ifndef TEEABI_KEYCACHE_H
#define TEEABI_KEYCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* Decodes the public key of the certificate in p[0..n) (DER or PEM, whichever the loader
 * reads); NULL when there is none. Must leave the OpenSSL error queue as it found it. */
typedef EVP_PKEY *(*teeabi_key_loader)(const uint8_t *p, size_t n);

/* The key load(p, n) returns, from a small cache keyed on the exact bytes p[0..n) (a copy
 * is kept and compared in full, so a different byte anywhere is a different entry) and on
 * the loader. Returns a new reference (EVP_PKEY_free it) or NULL; a failed decode is not
 * cached. Thread-safe. */
EVP_PKEY *teeabi_keycache_get(const uint8_t *p, size_t n, teeabi_key_loader load);

/* Decodes the certificates in p[0..n): a stack (maybe empty) or NULL when out of memory. */
typedef STACK_OF(X509) *(*teeabi_certs_loader)(const uint8_t *p, size_t n);

/* The same for decoded certificates (another cache, of its own slots): the certificates
 * load(p, n) returns, as a new stack of new references (sk_X509_pop_free(s, X509_free)
 * it), or NULL. The X509 objects are shared with the cache and other callers: read them,
 * never change them. */
STACK_OF(X509) *teeabi_certcache_get(const uint8_t *p, size_t n, teeabi_certs_loader load);

/* Drops every entry of both caches. A fuzz harness calls it after each input: libFuzzer
 * counts the mallocs and frees of an input and, when they differ, runs LeakSanitizer over
 * the whole heap, which costs more than the decodes the cache saves across inputs. */
void teeabi_cache_drop(void);

/* Tests only: with false, both caches decode on every call and keep nothing (the entries
 * already kept are dropped), and teeabi_cache_enabled() says so (genuine.c then parses its
 * embedded roots on every use), so that the cached answers can be compared to fresh ones. */
void teeabi_cache_set_enabled(bool on);
bool teeabi_cache_enabled(void);

#endif
