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
 *   - SVSM (6.11+, sev_guest, VMPL != 0; kernel-abi.md §2.6, §3.2): service_provider bumps
 *     first and is checked only when a report is made ("svsm" after one trailing newline is
 *     dropped, else EINVAL); service_guid bumps, resets to the null GUID, then parses
 *     (EINVAL keeps the null GUID); service_manifest_version parses (kstrtouint base 0),
 *     then bumps; with a service provider the outblob is an SNP report at VMPL0 whose
 *     REPORT_DATA is SHA-512(inblob || manifestblob), the null GUID asks for the services
 *     manifest (a GUID table naming every service) and a GUID the SVSM does not offer, or a
 *     manifest version it does not support, is EINVAL; without one manifestblob is empty;
 *   - the outblob of a read belongs to the entry's current generation: a TDX quote or an
 *     SNP report whose report data is that generation's inblob, whose RTMRs are the TD's
 *     (TDX) or whose vmpl is the privlevel (SEV); later reads in the same generation get the
 *     same bytes (cached), auxblob is the host's certificate table; outblob, auxblob and
 *     manifestblob of one generation belong together; errors are not cached;
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
#include <strings.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "model.h"
#include "fz_sign.h"
#include "teeabi/abi.h"
#include "teeabi/bytes.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

/* Negative control: build with -DFZ_FAULTS='TM_FAULT_BIT(TM_FAULT_X)' and the properties
 * must trip on the injected kernel bugs. */
#ifndef FZ_FAULTS
#define FZ_FAULTS TM_NO_FAULTS
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
		tm_set_fast_sign(machines[i], true); /* every signature checked (fz_sign.h); real ECDSA: fuzz_sign */
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

enum attr {
	A_PROVIDER, A_GENERATION, A_PRIVLEVEL, A_FLOOR, A_INBLOB, A_OUTBLOB, A_AUXBLOB,
	A_MANIFEST, A_SPROV, A_SGUID, A_SMVER, A_OTHER
};
/* Indexes as the seeds use them (fuzz/gen/model_seeds.py ATTRS): the SVSM names added last
 * keep the older ones where they were; "bogus" and "" are shown nowhere. */
static const char *const attr_names[] = { "provider", "generation", "privlevel", "privlevel_floor", "inblob",
					  "outblob", "auxblob", "manifestblob", "service_provider", "bogus", "",
					  "service_guid", "service_manifest_version" };
static const enum attr attr_ids[] = { A_PROVIDER, A_GENERATION, A_PRIVLEVEL, A_FLOOR, A_INBLOB, A_OUTBLOB, A_AUXBLOB,
				      A_MANIFEST, A_SPROV, A_OTHER, A_OTHER, A_SGUID, A_SMVER };
#define NATTR (sizeof(attr_names) / sizeof(attr_names[0]))
_Static_assert(sizeof(attr_ids) / sizeof(attr_ids[0]) == NATTR, "attr_ids");

static enum attr attr_id(unsigned i) { return attr_ids[i]; }
static const char *attr_name(enum attr a)
{
	for (unsigned i = 0; i < NATTR; i++)
		if (attr_ids[i] == a)
			return attr_names[i];
	return "?";
}

/* The attributes the kernel shows for the provider (kernel-abi.md §3.2): TDX generation,
 * provider, inblob, outblob; SEV adds privlevel, privlevel_floor, auxblob; under an SVSM
 * (6.11+, VMPL != 0) also service_provider, service_guid, service_manifest_version and
 * manifestblob. */
static bool visible(const struct teeabi_profile *p, enum attr a)
{
	switch (a) {
	case A_PROVIDER: case A_GENERATION: case A_INBLOB: case A_OUTBLOB:
		return true;
	case A_PRIVLEVEL: case A_FLOOR: case A_AUXBLOB:
		return p->tsm_provider == TEEABI_TSM_SEV;
	case A_MANIFEST: case A_SPROV: case A_SGUID: case A_SMVER:
		return p->tsm_provider == TEEABI_TSM_SEV && p->tsm_visibility_611 && p->sev_vmpl != 0;
	default:
		return false;
	}
}
static bool is_service(enum attr a) { return a == A_SPROV || a == A_SGUID || a == A_SMVER; }
static bool writable(enum attr a) { return a == A_PRIVLEVEL || a == A_INBLOB || is_service(a); }
static bool is_bin(enum attr a) { return a == A_INBLOB || a == A_OUTBLOB || a == A_AUXBLOB || a == A_MANIFEST; }

/* the blobs of one generation */
enum blob { B_OUT, B_AUX, B_MAN, NBLOB };
static enum blob blob_of(enum attr a) { return a == A_AUXBLOB ? B_AUX : a == A_MANIFEST ? B_MAN : B_OUT; }
static const enum attr blob_attr[NBLOB] = { A_OUTBLOB, A_AUXBLOB, A_MANIFEST };

/* the service GUID as the SVSM sees it */
enum sguid { G_NULL, G_VTPM, G_OTHER };

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
	bool sprov_set;      /* service_provider written */
	char sprov[4096];    /* as stored: one trailing newline dropped, up to the first NUL */
	enum sguid guid;
	unsigned mver;       /* service_manifest_version */
	int refs;
	/* the blobs of generation memo_gen (cache and consistency properties) */
	bool memo_valid;
	uint64_t memo_gen;
	uint8_t *memo[NBLOB];
	size_t memo_len[NBLOB];
	bool memo_has[NBLOB];
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
	for (int b = 0; b < NBLOB; b++) {
		free(e->memo[b]);
		e->memo[b] = NULL;
		e->memo_len[b] = 0;
		e->memo_has[b] = false;
	}
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

/* Whole reads go into one buffer kept for the process and are then copied at their size:
 * a fresh 128 KiB allocation per read cost page faults on every input. */
static uint8_t blob_scratch[1 << 17];

static uint8_t *blob_copy(size_t n)
{
	uint8_t *b = malloc(n ? n : 1);
	FZ_CHECK(b != NULL, "malloc");
	memcpy(b, blob_scratch, n);
	return b;
}

/* The whole blob through a handle of its own: within a generation the kernel serves every
 * reader the bytes made once, so this is the generation's blob. */
static size_t side_read(struct state *S, struct sentry *e, enum attr a, uint8_t **out)
{
	struct tm_tsm_fh *fh = NULL;
	int rc = tm_tsm_open(S->d, e->name, attr_name(a), O_RDONLY, &fh);
	FZ_CHECK(rc == 0 && fh != NULL, "open %.20s/%s for the generation's blobs = %d", e->name, attr_name(a), rc);
	ssize_t n = tm_tsm_read(fh, blob_scratch, sizeof(blob_scratch), 0);
	FZ_CHECK(n >= 0 && n < (ssize_t)sizeof(blob_scratch), "read %s of generation %llu = %zd", attr_name(a),
		 (unsigned long long)e->gen, n);
	FZ_CHECK(tm_tsm_release(fh) == 0, "release");
	*out = blob_copy((size_t)n);
	return (size_t)n;
}

static void sha512_2(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t out[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	FZ_CHECK(c && EVP_DigestInit_ex(c, EVP_sha512(), NULL) > 0 && EVP_DigestUpdate(c, a, alen) > 0 &&
			 EVP_DigestUpdate(c, b, blen) > 0 && EVP_DigestFinal_ex(c, out, &n) > 0 && n == 64,
		 "SHA-512");
	EVP_MD_CTX_free(c);
}

/* The services manifest (null GUID): a GUID table, header {services-manifest GUID, u32
 * total length, u32 count}, count entries {service GUID, u32 offset, u32 length} inside the
 * manifest, one of them the vTPM the SVSM offers. */
static void check_services_manifest(const uint8_t *m, size_t n, const char *what)
{
	uint8_t hg[16], vg[16];
	FZ_CHECK(teeabi_guid_parse_le(TEEABI_SVSM_SERVICES_MANIFEST_GUID, hg) == 0 &&
			 teeabi_guid_parse_le(TEEABI_SVSM_VTPM_GUID, vg) == 0, "GUID constants");
	FZ_CHECK(n >= TEEABI_SVSM_GUID_ENTRY_LEN && !memcmp(m, hg, 16), "%s: manifestblob is not a services manifest", what);
	uint32_t total = teeabi_le32(m + 16), count = teeabi_le32(m + 20);
	FZ_CHECK(total == n, "%s: services manifest says %u bytes, manifestblob has %zu", what, total, n);
	FZ_CHECK(count >= 1 && (uint64_t)(count + 1) * TEEABI_SVSM_GUID_ENTRY_LEN <= n, "%s: services manifest count %u", what,
		 count);
	bool vtpm = false;
	for (uint32_t i = 1; i <= count; i++) {
		const uint8_t *en = m + (size_t)i * TEEABI_SVSM_GUID_ENTRY_LEN;
		uint64_t end = (uint64_t)teeabi_le32(en + 16) + teeabi_le32(en + 20);
		FZ_CHECK(end <= n, "%s: services manifest entry %u ends at %llu past %zu", what, i, (unsigned long long)end, n);
		vtpm |= !memcmp(en, vg, 16);
	}
	FZ_CHECK(vtpm, "%s: services manifest does not name the vTPM", what);
}

/* First fill of a generation: the provider's blobs of this generation, read whole, checked
 * as a set, and kept for the cache property. */
static void memo_fill(struct state *S, struct sentry *e, const char *what)
{
	for (int b = 0; b < NBLOB; b++)
		if (visible(S->p, blob_attr[b])) {
			e->memo_len[b] = side_read(S, e, blob_attr[b], &e->memo[b]);
			e->memo_has[b] = true;
			FZ_CHECK(e->memo_len[b] <= S->p->tsm_outblob_max, "%s: %s of %zu bytes over the cap", what,
				 attr_name(blob_attr[b]), e->memo_len[b]);
		}
	const uint8_t *b = e->memo[B_OUT];
	size_t n = e->memo_len[B_OUT];
	if (S->p->tsm_provider == TEEABI_TSM_TDX) {
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
		FZ_CHECK(fz_quote_sigs(S->d, b, &q) == TEEABI_OK, "%s: quote signatures", what);
		return;
	}
	struct teeabi_snp_report r;
	teeabi_err err = teeabi_snp_report_parse(b, n, TEEABI_SNP_STRICT_MBZ, &r);
	FZ_CHECK(err == TEEABI_OK, "%s: outblob is not an SNP report: %s", what, teeabi_err_name(err));
	FZ_CHECK(fz_snp_report_sig(S->d, b, n) == TEEABI_OK, "%s: report signature", what);
	if (e->sprov_set) {
		/* the SVSM's report: VMPL0, REPORT_DATA = SHA-512(nonce || manifest) */
		uint8_t h[64];
		sha512_2(e->inblob, 64, e->memo[B_MAN], e->memo_len[B_MAN], h);
		FZ_CHECK(r.vmpl == 0, "%s: SVSM report vmpl %u, want 0", what, r.vmpl);
		FZ_CHECK(memcmp(r.report_data, h, 64) == 0,
			 "%s: SVSM report_data is not SHA-512(inblob || manifestblob) of generation %llu", what,
			 (unsigned long long)e->gen);
		if (e->guid == G_NULL)
			check_services_manifest(e->memo[B_MAN], e->memo_len[B_MAN], what);
		else
			FZ_CHECK(e->memo_len[B_MAN] > 0, "%s: empty manifest for the vTPM service", what);
	} else {
		FZ_CHECK(memcmp(r.report_data, e->inblob, 64) == 0,
			 "%s: report_data is not the inblob of generation %llu", what, (unsigned long long)e->gen);
		FZ_CHECK(r.vmpl == e->priv, "%s: report vmpl %u, privlevel %u", what, r.vmpl, e->priv);
		FZ_CHECK(!e->memo_has[B_MAN] || e->memo_len[B_MAN] == 0, "%s: manifestblob of %zu bytes from the firmware",
			 what, e->memo_len[B_MAN]);
	}
	/* auxblob: the host's table cut at max(offset + length); an SVSM may hand none */
	const uint8_t *a = e->memo[B_AUX];
	size_t an = e->memo_len[B_AUX];
	if (e->sprov_set && an == 0)
		return;
	size_t bl = 0;
	const uint8_t *blob = tm_sev_certs(S->d, &bl);
	struct teeabi_cert_table *t = malloc(sizeof(*t));
	FZ_CHECK(t != NULL, "malloc");
	err = teeabi_snp_cert_table_parse(a, an, 0, t);
	FZ_CHECK(err == TEEABI_OK, "%s: auxblob: %s", what, teeabi_err_name(err));
	FZ_CHECK(t->end == an && an <= bl && memcmp(a, blob, an) == 0, "%s: auxblob is not the host's table (%zu bytes)",
		 what, an);
	free(t);
}

/* A fill of blob attribute a at the current generation: the generation's blobs are made
 * once and checked (memo_fill); every fill in the generation gets the same bytes. */
static void check_blob(struct state *S, struct sentry *e, enum attr a, const uint8_t *b, size_t n, const char *what)
{
	enum blob k = blob_of(a);
	if (!e->memo_valid || e->memo_gen != e->gen) {
		memo_clear(e);
		e->memo_valid = true;
		e->memo_gen = e->gen;
		memo_fill(S, e, what);
	}
	FZ_CHECK(e->memo_has[k] && n == e->memo_len[k] && !memcmp(b, e->memo[k], n),
		 "%s: %s of generation %llu is not the generation's (not cached, or blobs of different reports)", what,
		 attr_name(a), (unsigned long long)e->gen);
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

/* tsm.c service_provider store: bump first, keep the value without one trailing newline
 * (kstrndup: up to the first NUL); its validity is a matter for report time. */
static ssize_t store_service_provider(struct sentry *e, const char *page, size_t n)
{
	size_t l = page[n - 1] == '\n' ? n - 1 : n;
	e->gen++;
	e->sprov_set = true;
	l = strnlen(page, l);
	memcpy(e->sprov, page, l);
	e->sprov[l] = 0;
	return (ssize_t)n;
}

/* tsm.c service_guid store: bump, reset to the null GUID, then guid_parse(): the first 36
 * characters are 8-4-4-4-12 hex digits with hyphens, anything after them is ignored. */
static ssize_t store_service_guid(struct sentry *e, const char *page, size_t n)
{
	e->gen++;
	e->guid = G_NULL;
	bool zero = true;
	for (int i = 0; i < 36; i++) {
		char c = page[i]; /* page is NUL-terminated: a short value stops at a non-digit */
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return -EINVAL;
		} else if (!isxdigit((unsigned char)c)) {
			return -EINVAL;
		} else {
			zero &= c == '0';
		}
	}
	e->guid = zero ? G_NULL : !strncasecmp(page, TEEABI_SVSM_VTPM_GUID, 36) ? G_VTPM : G_OTHER;
	return (ssize_t)n;
}

/* A text value: one of the table's strings (selector < 0xE0), else up to rawmax - 1
 * fuzzer bytes. */
static size_t text_value(struct fz *f, const char *const *strs, size_t n, unsigned rawmax, uint8_t *buf)
{
	uint8_t s = fz_u8(f);
	size_t len;
	if (s < 0xE0) {
		len = strlen(strs[s % n]);
		memcpy(buf, strs[s % n], len);
	} else {
		len = fz_u8(f) % rawmax;
		fz_bytes(f, buf, len);
	}
	return len;
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
	if (is_service(d->a)) {
		/* service_provider / service_guid / service_manifest_version values */
		static const char *const strs[] = { "svsm", "svsm\n", TEEABI_SVSM_VTPM_GUID, TEEABI_SVSM_VTPM_GUID "\n",
						    "00000000-0000-0000-0000-000000000000", "0", "0x0", "1", "svsm\n\n",
						    "SVSM", "svs", "C476F1EB-0123-45A5-9641-B4E7DDE5BFE3",
						    TEEABI_SVSM_VTPM_GUID "junk", TEEABI_SVSM_SERVICES_MANIFEST_GUID,
						    "c476f1eb-0123-45a5-9641-b4e7dde5bfe", "c476f1eb+0123-45a5-9641-b4e7dde5bfe3",
						    "+0", "00", "4294967296", " 0", "\n", "" };
		len = text_value(f, strs, sizeof(strs) / sizeof(strs[0]), 48, buf);
		if (how & 0x40) {
			len = 4096 + (how & 7);
			memset(buf, '0', len);
		}
	} else if (d->a == A_PRIVLEVEL || (how & 0x80)) {
		static const char *const strs[] = { "0", "1", "2", "3", "4", "0x2", " 3\n", "-1", "3\n", "03", "0x",
						    "+2", "2\n\n", "4294967296", "0x3\n", "08", "2 ", "\n", "0x1f", "" };
		len = text_value(f, strs, sizeof(strs) / sizeof(strs[0]), 24, buf);
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
		else if (d->a == A_SPROV)
			want = store_service_provider(e, page, n);
		else if (d->a == A_SGUID)
			want = store_service_guid(e, page, n);
		else if ((prc = kstrtouint0(page, &v)) != 0)
			want = prc;
		else if (d->a == A_SMVER) {
			want = (ssize_t)n;
			e->gen++;
			e->mver = v;
		} else if (v < S->p->privlevel_floor || v > TEEABI_TSM_PRIVLEVEL_MAX)
			want = -EINVAL;
		else {
			want = (ssize_t)n;
			e->gen++;
			e->priv = v;
		}
	}
	FZ_CHECK(rc == want, "write %s len %zu off %lld = %zd, want %zd", attr_name(d->a), len, (long long)off, rc, want);
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
	if (S->p->tsm_provider == TEEABI_TSM_SEV && e->sprov_set) {
		/* sev_report_new with a service provider: only "svsm"; the SVSM knows the null GUID
		 * (every service) and the vTPM at manifest version 0; any other failure is EINVAL */
		if (strcmp(e->sprov, TEEABI_TSM_SERVICE_PROVIDER_SVSM) || e->guid == G_OTHER ||
		    (e->guid == G_VTPM && e->mver != 0))
			return -EINVAL;
	} else if (S->p->tsm_provider == TEEABI_TSM_SEV) {
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
	snprintf(what, sizeof(what), "read %s", attr_name(d->a));
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
		ssize_t n = tm_tsm_read(d->fh, blob_scratch, sizeof(blob_scratch), 0);
		FZ_CHECK(n >= 0 && n < (ssize_t)sizeof(blob_scratch), "%s: whole read = %zd", what, n);
		d->copy = blob_copy((size_t)n);
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
