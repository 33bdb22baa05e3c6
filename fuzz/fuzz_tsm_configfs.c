/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_tsm_configfs.c - the configfs-tsm report model (mocks/model/tsm_report.c) under
 * operation sequences: mkdir/rmdir of a few entry names (and bad ones), open of every
 * attribute name with every access mode, writes of fuzzer bytes and privlevel strings at
 * chosen offsets, reads at chosen offsets and sizes, close, host BUSY (SEV), resets, on TDX
 * and SEV providers of several kernel versions and on trees without configfs or provider.
 *
 * A shadow of the tree, written from docs/kernel-abi.md §3 and the configfs file rules,
 * gives the exact result of every step; after every step the model must agree with it:
 *   - generation only grows and moves by exactly one per committed inblob (at close) or
 *     privlevel write; failed writes, reads and opens do not move it;
 *   - inblob: cumulative size > 64 -> EFBIG at write(); applied at close(); a zero-length
 *     write is EFAULT and still commits at close; outblob/auxblob before any inblob, or
 *     with an inblob that is not 64 bytes -> EINVAL;
 *   - privlevel: kstrtouint base 0 ("2", "0x2", "02\n", "+3"); outside floor..3 EINVAL
 *     without a bump; SEV only;
 *   - the outblob of a read belongs to the entry's current generation: a TDX quote or an
 *     SNP report whose report data is that generation's inblob, whose RTMRs are the TD's
 *     (TDX) or whose vmpl is the privlevel (SEV); later reads in the same generation get the
 *     same bytes (cached), auxblob is the host's certificate table; errors are not cached;
 *   - open: unknown attribute or entry ENOENT, wrong access mode EACCES; read on a
 *     write-only fd and write on a read-only one EBADF; after rmdir ENOENT for open, first
 *     read and generation, while an already filled fd keeps reading;
 *   - the entry list equals the shadow's live entries; every handle is released (LSan).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

/* Negative control: build with -DFZ_FAULTS=<mask of TM_FAULT_BIT()> and the properties
 * must trip on the injected kernel bugs. */
#ifndef FZ_FAULTS
#define FZ_FAULTS 0
#endif

static const char *const profiles[] = {
	"name = fz-upstream-6.7-tdx\nplatform = tdx\nkernel = 6.7.0\n",
	"name = fz-upstream-6.16-tdx\nplatform = tdx\nkernel = 6.16.0\n",
	"name = fz-upstream-7.0-tdx\nplatform = tdx\nkernel = 7.0.0\n",
	"name = fz-dstack-0.6.0-tdx\nplatform = tdx\nos_id = dstack\nos_version = 0.6.0\nkernel = 6.18.6-dstack\n"
	"tdx_guest = upstream\nconfigfs_tsm = 1\ntsm_provider = tdx_guest\ntsm_precreate = com.intel.dcap\n",
	"name = fz-upstream-6.7-snp\nplatform = snp\nkernel = 6.7.0\n",
	"name = fz-upstream-6.11-snp\nplatform = snp\nkernel = 6.11.0\n",
	"name = fz-snp-6.7-vmpl2\nplatform = snp\nkernel = 6.7.0\nsev_vmpl = 2\n",   /* floor 0, firmware wants >= 2 */
	"name = fz-snp-6.11-vmpl2\nplatform = snp\nkernel = 6.11.0\nsev_vmpl = 2\n", /* floor 2 */
	"name = fz-upstream-6.2-tdx\nplatform = tdx\nkernel = 6.2.0\n",              /* no configfs-tsm */
	"name = fz-noprovider\nplatform = tdx\nkernel = 6.9.0\ntdx_guest = dstack-mod\nconfigfs_tsm = 1\n",
};
#define NPROF (sizeof(profiles) / sizeof(profiles[0]))

static struct tm_dev *machines[NPROF];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (unsigned i = 0; i < NPROF; i++) {
		struct teeabi_profile p;
		char err[256];
		FZ_CHECK(teeabi_profile_parse(profiles[i], &p, err, sizeof(err)) == 0, "profile %u: %s", i, err);
		machines[i] = tm_new(&p, FZ_FAULTS);
		FZ_CHECK(machines[i] != NULL, "tm_new(%s)", p.name);
	}
	return 0;
}

/* ---------------------------------------------------------------- names */
static char long255[256], long256[257];
static const char *entry_name(uint8_t sel)
{
	/* mostly the four good names */
	static const char *const names[16] = { "a", "b", "com.intel.dcap", "c", "a", "b", "c", "a",
					       "", ".", "..", "x/y", long255, long256, "b", "a" };
	if (!long255[0]) {
		memset(long255, 'n', 255);
		memset(long256, 'n', 256);
	}
	return names[sel % 16];
}

enum attr { A_PROVIDER, A_GENERATION, A_PRIVLEVEL, A_FLOOR, A_INBLOB, A_OUTBLOB, A_AUXBLOB, A_OTHER };
/* Names past auxblob are shown nowhere (A_OTHER). The SVSM attributes service_provider,
 * service_guid, service_manifest_version and manifestblob stay out of this table until the
 * shadow models them: the model shows them on fz-snp-6.11-vmpl2 (6.11+, sev_vmpl != 0,
 * kernel-abi.md §2.6), where the shadow would expect ENOENT. */
static const char *const attr_names[] = { "provider", "generation", "privlevel", "privlevel_floor", "inblob",
					  "outblob", "auxblob", "manifest", "service", "bogus", "" };
#define NATTR (sizeof(attr_names) / sizeof(attr_names[0]))

static enum attr attr_id(unsigned i) { return i < A_OTHER ? (enum attr)i : A_OTHER; }

/* The attributes the kernel shows for the provider (kernel-abi.md §3.2): TDX generation,
 * provider, inblob, outblob; SEV adds privlevel, privlevel_floor, auxblob. (The SVSM
 * attributes of 6.11+ under a VMPL != 0 are not modelled.) */
static bool visible(const struct teeabi_profile *p, enum attr a)
{
	switch (a) {
	case A_PROVIDER: case A_GENERATION: case A_INBLOB: case A_OUTBLOB:
		return true;
	case A_PRIVLEVEL: case A_FLOOR: case A_AUXBLOB:
		return p->tsm_provider == TEEABI_TSM_SEV;
	default:
		return false;
	}
}
static bool writable(enum attr a) { return a == A_PRIVLEVEL || a == A_INBLOB; }
static bool is_bin(enum attr a) { return a == A_INBLOB || a == A_OUTBLOB || a == A_AUXBLOB; }

/* ---------------------------------------------------------------- shadow */
#define NENT 12
#define NFD 8
struct sentry {
	bool used, live;
	char name[TM_TSM_NAME_MAX + 1];
	uint64_t gen;
	uint8_t inblob[64];
	size_t inlen;
	bool inblob_written;
	unsigned priv;
	int refs;
	/* the blobs served for memo_gen (cache property) */
	bool memo_valid;
	uint64_t memo_gen;
	uint8_t *memo_out, *memo_aux;
	size_t memo_outlen, memo_auxlen;
	bool memo_has_out, memo_has_aux;
};
struct sfd {
	bool used;
	struct tm_tsm_fh *fh;
	int e;
	enum attr a;
	bool r, w;
	bool wip;
	uint8_t wbuf[64];
	size_t wlen;
	uint64_t pos;
	bool filled;
	uint8_t *copy;
	size_t copylen;
};
struct state {
	struct tm_dev *d;
	const struct teeabi_profile *p;
	struct sentry e[NENT];
	struct sfd fd[NFD];
	unsigned busy; /* SEV host BUSY answers pending */
	bool wiped;    /* SEV VMPCK disabled */
};

static void memo_clear(struct sentry *e)
{
	free(e->memo_out);
	free(e->memo_aux);
	e->memo_out = e->memo_aux = NULL;
	e->memo_has_out = e->memo_has_aux = false;
	e->memo_valid = false;
}

static int live_entry(struct state *S, const char *name)
{
	for (int i = 0; i < NENT; i++)
		if (S->e[i].used && S->e[i].live && !strcmp(S->e[i].name, name))
			return i;
	return -1;
}

static void entry_release_if_unused(struct state *S, int i)
{
	struct sentry *e = &S->e[i];
	if (e->used && !e->live && e->refs == 0) {
		memo_clear(e);
		memset(e, 0, sizeof(*e));
	}
}

static int entry_new(struct state *S, const char *name)
{
	for (int i = 0; i < NENT; i++)
		if (!S->e[i].used) {
			memset(&S->e[i], 0, sizeof(S->e[i]));
			S->e[i].used = S->e[i].live = true;
			snprintf(S->e[i].name, sizeof(S->e[i].name), "%s", name);
			return i;
		}
	return -1;
}

static void boot(struct state *S)
{
	tm_reset(S->d);
	if (S->p->configfs_tsm && S->p->tsm_provider != TEEABI_TSM_NONE && S->p->tsm_precreate[0])
		FZ_CHECK(entry_new(S, S->p->tsm_precreate) >= 0, "shadow full");
	S->busy = 0;
	S->wiped = false;
}

/* ---------------------------------------------------------------- invariants */
static void check_tree(struct state *S, const char *what)
{
	int live = 0;
	for (int i = 0; i < NENT; i++) {
		struct sentry *e = &S->e[i];
		if (!e->used || !e->live)
			continue;
		live++;
		long g = tm_tsm_generation(S->d, e->name);
		FZ_CHECK(g >= 0 && (uint64_t)g == e->gen, "%s: entry '%.20s' generation %ld, expected %llu", what,
			 e->name, g, (unsigned long long)e->gen);
		FZ_CHECK(tm_tsm_entry_exists(S->d, e->name), "%s: entry '%.20s' missing", what, e->name);
	}
	int n = tm_tsm_list(S->d, NULL, 0);
	FZ_CHECK(n == live, "%s: %d entries listed, %d expected", what, n, live);
}

/* kstrtouint(s, 0): optional '+', base from the prefix ("0x" + hex digit -> 16, "0" -> 8,
 * else 10), digits, at most one '\n', nothing else; overflow -> ERANGE. Written with
 * strtoull after checking what it would otherwise accept (spaces, '-'). */
static int kstrtouint0(const char *s, unsigned *out)
{
	const char *p = s;
	if (*p == '+')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return -EINVAL;
	errno = 0;
	char *end;
	unsigned long long v;
	if (p[0] == '0' && (p[1] | 0x20) == 'x' && !isxdigit((unsigned char)p[2]))
		v = 0, end = (char *)p + 1; /* "0x" alone: octal 0, then 'x' */
	else
		v = strtoull(p, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (v > UINT_MAX)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

/* The blob a fill at the current generation must produce; checks and memoizes it. */
static void check_blob(struct state *S, struct sentry *e, enum attr a, const uint8_t *b, size_t n, const char *what)
{
	bool aux = a == A_AUXBLOB;
	if (e->memo_valid && e->memo_gen == e->gen && (aux ? e->memo_has_aux : e->memo_has_out)) {
		FZ_CHECK(n == (aux ? e->memo_auxlen : e->memo_outlen) && !memcmp(b, aux ? e->memo_aux : e->memo_out, n),
			 "%s: %s of generation %llu changed without a write (not cached)", what, aux ? "auxblob" : "outblob",
			 (unsigned long long)e->gen);
		return;
	}
	if (!e->memo_valid || e->memo_gen != e->gen) {
		memo_clear(e);
		e->memo_valid = true;
		e->memo_gen = e->gen;
	}
	uint8_t *c = malloc(n ? n : 1);
	FZ_CHECK(c != NULL, "malloc");
	memcpy(c, b, n);
	if (aux) {
		e->memo_aux = c, e->memo_auxlen = n, e->memo_has_aux = true;
	} else {
		e->memo_out = c, e->memo_outlen = n, e->memo_has_out = true;
	}
	FZ_CHECK(n <= S->p->tsm_outblob_max, "%s: blob of %zu bytes over the cap", what, n);
	if (S->p->tsm_provider == TEEABI_TSM_TDX) {
		FZ_CHECK(!aux, "%s: auxblob on TDX", what);
		struct teeabi_tdx_quote q;
		teeabi_err err = teeabi_tdx_quote_parse(b, n, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, &q);
		FZ_CHECK(err == TEEABI_OK, "%s: outblob is not a quote: %s", what, teeabi_err_name(err));
		FZ_CHECK(q.trailing_len == 0, "%s: outblob has %zu trailing bytes", what, q.trailing_len);
		FZ_CHECK(memcmp(q.td.report_data, e->inblob, 64) == 0,
			 "%s: quote report_data is not the inblob of generation %llu", what, (unsigned long long)e->gen);
		for (unsigned i = 0; i < 4; i++) {
			uint8_t v[48];
			tm_tdx_rtmr_get(S->d, i, v);
			FZ_CHECK(memcmp(q.td.rtmr[i], v, 48) == 0, "%s: quote RTMR%u is not the TD's", what, i);
		}
		FZ_CHECK(teeabi_tdx_quote_verify_qe_binding(&q) == TEEABI_OK, "%s: QE binding", what);
	} else if (!aux) {
		struct teeabi_snp_report r;
		teeabi_err err = teeabi_snp_report_parse(b, n, TEEABI_SNP_STRICT_MBZ, &r);
		FZ_CHECK(err == TEEABI_OK, "%s: outblob is not an SNP report: %s", what, teeabi_err_name(err));
		FZ_CHECK(memcmp(r.report_data, e->inblob, 64) == 0,
			 "%s: report_data is not the inblob of generation %llu", what, (unsigned long long)e->gen);
		FZ_CHECK(r.vmpl == e->priv, "%s: report vmpl %u, privlevel %u", what, r.vmpl, e->priv);
	} else {
		size_t bl = 0;
		const uint8_t *blob = tm_sev_certs(S->d, &bl);
		struct teeabi_cert_table *t = malloc(sizeof(*t));
		FZ_CHECK(t != NULL, "malloc");
		teeabi_err err = teeabi_snp_cert_table_parse(b, n, 0, t);
		FZ_CHECK(err == TEEABI_OK, "%s: auxblob: %s", what, teeabi_err_name(err));
		/* cut at max(offset + length): exactly the table and the certificates */
		FZ_CHECK(t->end == n && n <= bl && memcmp(b, blob, n) == 0, "%s: auxblob is not the host's table (%zu bytes)",
			 what, n);
		free(t);
	}
}

/* ---------------------------------------------------------------- operations */
static void op_mkdir(struct state *S, struct fz *f)
{
	const char *name = entry_name(fz_u8(f));
	int rc = tm_tsm_mkdir(S->d, name), want;
	size_t len = strlen(name);
	if (!S->p->configfs_tsm || !len)
		want = -ENOENT;
	else if (len > TM_TSM_NAME_MAX)
		want = -ENAMETOOLONG;
	else if (strchr(name, '/'))
		want = rc == -ENOENT ? -ENOENT : -EINVAL; /* a path, not a name */
	else if (!strcmp(name, ".") || !strcmp(name, "..") || live_entry(S, name) >= 0)
		want = -EEXIST;
	else if (S->p->tsm_provider == TEEABI_TSM_NONE)
		want = -ENXIO;
	else
		want = 0;
	FZ_CHECK(rc == want, "mkdir '%.20s' = %d, want %d", name, rc, want);
	if (!rc)
		FZ_CHECK(entry_new(S, name) >= 0, "shadow full");
}

static void op_rmdir(struct state *S, struct fz *f)
{
	const char *name = entry_name(fz_u8(f));
	int i = S->p->configfs_tsm ? live_entry(S, name) : -1;
	int rc = tm_tsm_rmdir(S->d, name);
	FZ_CHECK(rc == (i >= 0 ? 0 : -ENOENT), "rmdir '%.20s' = %d", name, rc);
	if (i >= 0) {
		S->e[i].live = false;
		entry_release_if_unused(S, i);
	}
}

static void op_open(struct state *S, struct fz *f)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE, O_WRONLY | O_TRUNC, O_RDONLY | O_CLOEXEC };
	const char *name = entry_name(fz_u8(f));
	unsigned ai = fz_u8(f) % NATTR;
	int flags = modes[fz_u8(f) % 6];
	enum attr a = attr_id(ai);
	int slot = -1;
	for (int k = 0; k < NFD; k++)
		if (!S->fd[k].used) {
			slot = k;
			break;
		}
	if (slot < 0)
		return;
	struct tm_tsm_fh *fh = NULL;
	int rc = tm_tsm_open(S->d, name, attr_names[ai], flags, &fh);
	int acc = flags & O_ACCMODE;
	bool r = acc == O_RDONLY || acc == O_RDWR, w = acc == O_WRONLY || acc == O_RDWR;
	int ei = S->p->configfs_tsm ? live_entry(S, name) : -1;
	int want;
	if (!S->p->configfs_tsm)
		want = -ENOENT;
	else if (acc == O_ACCMODE)
		want = rc == -EACCES ? -EACCES : -EINVAL; /* "no access" open: EINVAL or EACCES */
	else if (ei < 0 || !visible(S->p, a))
		want = -ENOENT;
	else if ((w && !writable(a)) || (r && writable(a)))
		want = -EACCES; /* even for root */
	else
		want = 0;
	FZ_CHECK(rc == want, "open %.20s/%s flags 0x%x = %d, want %d", name, attr_names[ai], flags, rc, want);
	FZ_CHECK((rc == 0) == (fh != NULL), "open: handle %p with rc %d", (void *)fh, rc);
	if (rc)
		return;
	struct sfd *d = &S->fd[slot];
	memset(d, 0, sizeof(*d));
	d->used = true;
	d->fh = fh;
	d->e = ei;
	d->a = a;
	d->r = r;
	d->w = w;
	S->e[ei].refs++;
}

static void op_close(struct state *S, int k)
{
	struct sfd *d = &S->fd[k];
	struct sentry *e = &S->e[d->e];
	FZ_CHECK(tm_tsm_release(d->fh) == 0, "release");
	/* configfs_release_bin_file: the accumulated buffer is stored unless the item is dead */
	if (d->a == A_INBLOB && d->wip && e->live) {
		e->gen++;
		memcpy(e->inblob, d->wbuf, d->wlen);
		e->inlen = d->wlen;
		e->inblob_written = true;
	}
	free(d->copy);
	e->refs--;
	memset(d, 0, sizeof(*d));
	entry_release_if_unused(S, (int)(e - S->e));
}

static struct sfd *pick_fd(struct state *S, struct fz *f, int *k)
{
	uint8_t s = fz_u8(f);
	for (int i = 0; i < NFD; i++) {
		int j = (s + i) % NFD;
		if (S->fd[j].used) {
			*k = j;
			return &S->fd[j];
		}
	}
	return NULL;
}

static void op_write(struct state *S, struct fz *f)
{
	int k;
	struct sfd *d = pick_fd(S, f, &k);
	if (!d)
		return;
	struct sentry *e = &S->e[d->e];
	uint8_t how = fz_u8(f);
	uint8_t buf[4200];
	size_t len;
	off_t off;
	if (d->a == A_PRIVLEVEL || (how & 0x80)) {
		static const char *const strs[] = { "0", "1", "2", "3", "4", "0x2", " 3\n", "-1", "3\n", "03", "0x",
						    "+2", "2\n\n", "4294967296", "0x3\n", "08", "2 ", "\n", "0x1f", "" };
		uint8_t s = fz_u8(f);
		if (s < 0xE0) {
			const char *t = strs[s % (sizeof(strs) / sizeof(strs[0]))];
			len = strlen(t);
			memcpy(buf, t, len);
		} else {
			len = fz_u8(f) % 24;
			fz_bytes(f, buf, len);
		}
		if (how & 0x40) {
			len = 4096 + (how & 7); /* longer than a configfs page: cut to 4095 */
			memset(buf, '0', len);
			buf[4094] = '2';
		}
	} else {
		static const size_t lens[] = { 0, 1, 16, 32, 48, 63, 64, 65, 100 };
		uint8_t l = fz_u8(f);
		len = l < 0xF0 ? lens[l % 9] : (size_t)fz_u16(f) % sizeof(buf);
		fz_bytes(f, buf, len);
	}
	uint8_t o = fz_u8(f);
	off = (o & 3) == 0 ? (off_t)d->pos : (o & 3) == 1 ? 0 : (o & 3) == 2 ? (off_t)(o >> 2) : (off_t)(int16_t)fz_u16(f);

	ssize_t rc = tm_tsm_write(d->fh, buf, len, off);
	ssize_t want;
	if (!d->w) {
		want = -EBADF;
	} else if (off < 0) {
		want = -EINVAL;
	} else if (is_bin(d->a)) {
		/* configfs_bin_write_iter: write_in_progress first, then the size cap */
		uint64_t end = (uint64_t)off + len;
		d->wip = true;
		if (end > d->wlen && end > TEEABI_TSM_INBLOB_MAX) {
			want = -EFBIG;
		} else {
			if (end > d->wlen) {
				memset(d->wbuf + d->wlen, 0, end - d->wlen);
				d->wlen = end;
			}
			if (len)
				memcpy(d->wbuf + off, buf, len);
			want = len ? (ssize_t)len : -EFAULT;
		}
	} else {
		/* text: one store() of up to 4095 bytes, NUL-terminated */
		size_t n = len < 4095 ? len : 4095;
		char page[4096];
		memcpy(page, buf, n);
		page[n] = 0;
		unsigned v = 0;
		int prc;
		if (!n)
			want = -EFAULT;
		else if (!e->live)
			want = -ENOENT;
		else if ((prc = kstrtouint0(page, &v)) != 0)
			want = prc;
		else if (v < S->p->privlevel_floor || v > TEEABI_TSM_PRIVLEVEL_MAX)
			want = -EINVAL;
		else {
			want = (ssize_t)n;
			e->gen++;
			e->priv = v;
		}
	}
	FZ_CHECK(rc == want, "write %s len %zu off %lld = %zd, want %zd", attr_names[d->a], len, (long long)off, rc, want);
	if (rc > 0)
		d->pos = (uint64_t)off + (uint64_t)rc;
}

/* What the first read of an fd must fill, or the errno; *blob says a report was made. */
static int expect_fill(struct state *S, struct sfd *d, bool *regen)
{
	struct sentry *e = &S->e[d->e];
	*regen = false;
	if (!e->live)
		return -ENOENT;
	if (!is_bin(d->a))
		return 0;
	if (!e->inlen)
		return -EINVAL;
	if (e->memo_valid && e->memo_gen == e->gen)
		return 0; /* cached: served without a new report */
	if (e->inlen != TEEABI_TSM_INBLOB_MAX)
		return -EINVAL;
	if (S->p->tsm_provider == TEEABI_TSM_SEV) {
		/* sev_report_new: an extended request at vmpl = privlevel with a 16K buffer */
		if (S->wiped)
			return -ENOTTY;
		if (S->busy) {
			if (!S->p->sev_throttle) {
				S->busy--;
				S->wiped = true;
				return -EIO;
			}
			if (S->busy >= 32) {
				S->busy -= 32;
				S->wiped = true;
				return -ETIMEDOUT;
			}
			S->busy = 0;
		}
		if (e->priv < S->p->sev_vmpl)
			return -EINVAL; /* MSG_REPORT_RSP status 0x16 */
	}
	*regen = true;
	return 0;
}

static void op_read(struct state *S, struct fz *f)
{
	int k;
	struct sfd *d = pick_fd(S, f, &k);
	if (!d)
		return;
	struct sentry *e = &S->e[d->e];
	static const size_t lens[] = { 0, 1, 2, 16, 64, 1000, 1184, 4096, 8192, 70000 };
	size_t len = lens[fz_u8(f) % 10];
	uint8_t o = fz_u8(f);
	off_t off = (o & 3) == 0 ? (off_t)d->pos : (o & 3) == 1 ? 0 : (o & 3) == 2 ? (off_t)(o * 17) : (off_t)(int32_t)fz_u32(f);
	uint8_t *buf = malloc(len ? len : 1);
	FZ_CHECK(buf != NULL, "malloc");
	ssize_t rc = tm_tsm_read(d->fh, buf, len, off);
	char what[64];
	snprintf(what, sizeof(what), "read %s", attr_names[d->a]);
	if (!d->r) {
		FZ_CHECK(rc == -EBADF, "%s on a write-only fd = %zd", what, rc);
		goto out;
	}
	if (off < 0) {
		FZ_CHECK(rc == -EINVAL, "%s at %lld = %zd", what, (long long)off, rc);
		goto out;
	}
	if (!d->filled) {
		bool regen;
		int want = expect_fill(S, d, &regen);
		if (want) {
			FZ_CHECK(rc == want, "%s: first read = %zd, want %d", what, rc, want);
			if (is_bin(d->a) && want != -ENOENT && e->memo_gen != e->gen)
				memo_clear(e); /* errors are not cached */
			goto out;
		}
		FZ_CHECK(rc >= 0, "%s: first read = %zd, want data", what, rc);
		/* the fd's private copy, read whole from offset 0 */
		d->copy = malloc(1 << 17);
		FZ_CHECK(d->copy != NULL, "malloc");
		ssize_t n = tm_tsm_read(d->fh, d->copy, 1 << 17, 0);
		FZ_CHECK(n >= 0 && n < (1 << 17), "%s: whole read = %zd", what, n);
		d->copylen = (size_t)n;
		d->filled = true;
		char t[64];
		switch (d->a) {
		case A_PROVIDER:
			snprintf(t, sizeof(t), "%s\n", S->p->tsm_provider == TEEABI_TSM_SEV ? "sev_guest" : "tdx_guest");
			break;
		case A_GENERATION:
			snprintf(t, sizeof(t), "%llu\n", (unsigned long long)e->gen);
			break;
		case A_FLOOR:
			snprintf(t, sizeof(t), "%u\n", S->p->privlevel_floor);
			break;
		default:
			t[0] = 0;
			break;
		}
		if (!is_bin(d->a))
			FZ_CHECK(d->copylen == strlen(t) && !memcmp(d->copy, t, d->copylen), "%s: '%.*s', want '%s'", what,
				 (int)d->copylen, (const char *)d->copy, t);
		else
			check_blob(S, e, d->a, d->copy, d->copylen, what);
	}
	/* from the private copy */
	size_t want = (uint64_t)off >= d->copylen ? 0 : d->copylen - (size_t)off;
	if (want > len)
		want = len;
	FZ_CHECK(rc == (ssize_t)want, "%s at %lld len %zu = %zd, want %zu", what, (long long)off, len, rc, want);
	FZ_CHECK(!want || !memcmp(buf, d->copy + off, want), "%s: bytes differ from the fd's copy", what);
	d->pos = (uint64_t)off + want;
out:
	free(buf);
}

/* ---------------------------------------------------------------- entry */
static void close_all(struct state *S)
{
	for (int k = 0; k < NFD; k++)
		if (S->fd[k].used)
			op_close(S, k);
}

static void shadow_clear(struct state *S)
{
	for (int i = 0; i < NENT; i++)
		memo_clear(&S->e[i]);
	memset(S->e, 0, sizeof(S->e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct state S;
	memset(&S, 0, sizeof(S));
	S.d = machines[fz_u8(&f) % NPROF];
	S.p = tm_profile(S.d);
	boot(&S);
	check_tree(&S, "boot");

	for (int step = 0; step < 96 && !fz_empty(&f); step++) {
		uint8_t op = fz_u8(&f);
		const char *what = "?";
		switch (op % 10) {
		case 0: op_mkdir(&S, &f); what = "mkdir"; break;
		case 1: op_rmdir(&S, &f); what = "rmdir"; break;
		case 2: case 3: op_open(&S, &f); what = "open"; break;
		case 4: case 5: op_write(&S, &f); what = "write"; break;
		case 6: case 7: op_read(&S, &f); what = "read"; break;
		case 8: {
			int k;
			if (pick_fd(&S, &f, &k))
				op_close(&S, k);
			what = "close";
			break;
		}
		case 9:
			if (op & 0x80) { /* reboot: every fd closed first, then the tree is rebuilt */
				close_all(&S);
				shadow_clear(&S);
				boot(&S);
				what = "reset";
			} else if (S.p->tsm_provider == TEEABI_TSM_SEV) {
				static const unsigned ns[] = { 1, 2, 31, 32, 33 };
				S.busy = ns[fz_u8(&f) % 5];
				tm_sev_set_host_busy(S.d, S.busy);
				what = "busy";
			}
			break;
		}
		check_tree(&S, what);
		FZ_CHECK(S.p->tsm_provider != TEEABI_TSM_SEV || tm_sev_vmpck_disabled(S.d) == S.wiped, "%s: VMPCK state", what);
	}
	/* no handle outlives the run: close all, remove every entry; the tree is empty */
	close_all(&S);
	for (int i = 0; i < NENT; i++)
		if (S.e[i].used && S.e[i].live) {
			FZ_CHECK(tm_tsm_rmdir(S.d, S.e[i].name) == 0, "final rmdir");
			S.e[i].live = false;
		}
	FZ_CHECK(tm_tsm_list(S.d, NULL, 0) == 0, "entries left after closing and removing everything");
	shadow_clear(&S);
	tm_reset(S.d);
	return 0;
}
