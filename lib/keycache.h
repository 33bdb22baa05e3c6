/* SPDX-License-Identifier: Apache-2.0 */
/* keycache.h - internal to libteeabi: public keys of certificates, decoded once. */
#ifndef TEEABI_KEYCACHE_H
#define TEEABI_KEYCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

/* Decodes the public key of the certificate in p[0..n) (DER or PEM, whichever the loader
 * reads); NULL when there is none. Must leave the OpenSSL error queue as it found it. */
typedef EVP_PKEY *(*teeabi_key_loader)(const uint8_t *p, size_t n);

/* The key load(p, n) returns, from a small cache keyed on the exact bytes p[0..n) (a copy
 * is kept and compared in full, so a different byte anywhere is a different entry) and on
 * the loader. Returns a new reference (EVP_PKEY_free it) or NULL; a failed decode is not
 * cached. Thread-safe. */
EVP_PKEY *teeabi_keycache_get(const uint8_t *p, size_t n, teeabi_key_loader load);

#endif
