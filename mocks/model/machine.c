/* SPDX-License-Identifier: Apache-2.0 */
/* machine.c - the emulated guest: lifecycle, lock, faults, in-process user memory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "internal.h"

static const char *const fault_names[] = {
#define F(id, name, area) name,
#include "faults.def"
#undef F
};
static const char *const fault_areas[] = {
#define F(id, name, area) area,
#include "faults.def"
#undef F
};

const char *tm_fault_name(enum tm_fault f) { return (unsigned)f < TM_FAULT_COUNT ? fault_names[f] : "?"; }
const char *tm_fault_area(enum tm_fault f) { return (unsigned)f < TM_FAULT_COUNT ? fault_areas[f] : "?"; }

int tm_fault_lookup(const char *name)
{
	for (int i = 0; i < TM_FAULT_COUNT; i++)
		if (!strcmp(fault_names[i], name))
			return i;
	return -1;
}

struct tm_dev *tm_new(const struct teeabi_profile *p, tm_fault_mask faults)
{
	struct tm_dev *d = calloc(1, sizeof(*d));
	pthread_mutexattr_t a;

	if (!d)
		return NULL;
	d->prof = *p;
	d->faults = faults;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&d->lock, &a);
	pthread_mutexattr_destroy(&a);
	/* each part before its PKI: the PCK certificate carries the CPUSVN, the VCEK the chip id */
	if (tm_tdx_init(d) || tm_pki_tdx_init(d) || tm_sev_init(d) || tm_pki_snp_init(d) || tm_tsm_init(d)) {
		tm_free(d);
		return NULL;
	}
	return d;
}

void tm_free(struct tm_dev *d)
{
	if (!d)
		return;
	tm_tsm_fini(d);
	tm_sev_fini(d);
	tm_tdx_fini(d);
	tm_pki_snp_fini(d);
	tm_pki_tdx_fini(d);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void tm_reset(struct tm_dev *d)
{
	TM_LOCK(d);
	tm_tdx_reset(d);
	tm_sev_reset(d);
	tm_tsm_reset(d);
	TM_UNLOCK(d);
}

void tm_set_fast_sign(struct tm_dev *d, bool on) { d->fast_sign = on; }
bool tm_fast_sign_on(const struct tm_dev *d) { return d->fast_sign; }

/* r = H(m || s) for the n bytes s. */
static int fast_r(const uint8_t *msg, size_t len, size_t n, const uint8_t *s, uint8_t *r)
{
	const EVP_MD *md = n == 48 ? EVP_sha384() : n == 32 ? EVP_sha256() : NULL;
	EVP_MD_CTX *c = md ? EVP_MD_CTX_new() : NULL;
	unsigned a = 0;
	int ok = c && EVP_DigestInit_ex(c, md, NULL) == 1 && EVP_DigestUpdate(c, msg, len) == 1 &&
		 EVP_DigestUpdate(c, s, n) == 1 && EVP_DigestFinal_ex(c, r, &a) == 1 && a == n;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -EIO;
}

int tm_fast_sign(const uint8_t *msg, size_t len, size_t n, uint8_t *r, uint8_t *s)
{
	/* s: a new nonce each signature, as ECDSA's own randomness makes every signature new */
	static uint64_t nonce;
	uint64_t v = __atomic_add_fetch(&nonce, 1, __ATOMIC_RELAXED);
	if (n != 48 && n != 32)
		return -EIO;
	memset(s, 0, n);
	for (int i = 0; i < 8; i++)
		s[i] = (uint8_t)(v >> (8 * i));
	s[n - 1] = 0x5A; /* never all zero */
	return fast_r(msg, len, n, s, r);
}

bool tm_fast_sign_check(const uint8_t *msg, size_t len, size_t n, const uint8_t *r, const uint8_t *s)
{
	uint8_t want[48];
	return (n == 48 || n == 32) && fast_r(msg, len, n, s, want) == 0 && memcmp(want, r, n) == 0;
}

const struct teeabi_profile *tm_profile(const struct tm_dev *d) { return &d->prof; }
bool tm_has_fault(const struct tm_dev *d, enum tm_fault f) { return tm_fault_in(&d->faults, f); }

/* ---- in-process user memory ---- */
static const void *local_find(struct tm_local_ua *l, uint64_t uaddr, size_t len)
{
	if (!uaddr)
		return NULL;
	for (int i = 0; i < l->n; i++) {
		uintptr_t b = l->r[i].base;
		if (uaddr >= b && uaddr - b <= l->r[i].len && len <= l->r[i].len - (uaddr - b))
			return (const void *)(uintptr_t)uaddr;
	}
	return NULL;
}

static int local_read(void *ctx, uint64_t uaddr, void *dst, size_t len)
{
	const void *p = local_find(ctx, uaddr, len);
	if (!p)
		return -EFAULT;
	memmove(dst, p, len);
	return 0;
}

static int local_write(void *ctx, uint64_t uaddr, const void *src, size_t len)
{
	void *p = (void *)local_find(ctx, uaddr, len);
	if (!p)
		return -EFAULT;
	memmove(p, src, len);
	return 0;
}

void tm_local_ua_init(struct tm_local_ua *l)
{
	memset(l, 0, sizeof(*l));
	l->ua.read = local_read;
	l->ua.write = local_write;
	l->ua.ctx = l;
}

void tm_local_ua_add(struct tm_local_ua *l, const void *p, size_t len)
{
	if (l->n < TM_LOCAL_UA_MAX && p) {
		l->r[l->n].base = (uintptr_t)p;
		l->r[l->n].len = len;
		l->n++;
	}
}
