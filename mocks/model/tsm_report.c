/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tsm_report.c - the configfs-tsm report tree (/sys/kernel/config/tsm/report) with the
 * configfs core's file semantics (docs/kernel-abi.md §3):
 *   - open checks the access mode against the attribute mode (EACCES, even for root);
 *   - text attributes: each write() is one store() of up to 4095 bytes; the first read()
 *     fills a per-fd copy;
 *   - binary attributes: writes accumulate per fd (EFBIG past the attribute's maximum)
 *     and are stored once at release, whose result is dropped; the first read() asks
 *     the attribute for the blob and keeps a per-fd copy;
 *   - after rmdir the entry is "dead": open fails with ENOENT, a first read or a
 *     close-time store on an fd that was already open gets ENOENT.
 * Report generation (tsm.c / report.c): write generation bumped by every successful
 * attribute write, outblob/auxblob/manifestblob cached while read_generation ==
 * write_generation, errors not cached. All of it runs under the machine lock, which also
 * serialises report generation across entries like the kernel's tsm_rwsem.
 *
 * SVSM (6.11+, sev_guest, guest above VMPL0; profile flag tsm_svsm): service_provider,
 * service_guid, service_manifest_version and manifestblob, with the stores of tsm.c at
 * 6.11 (kernel-abi.md §3.2): service_provider bumps the generation first and keeps the
 * string with one trailing newline dropped (checked only when a report is made);
 * service_guid bumps, resets the GUID to null, then parses (-EINVAL keeps the null GUID);
 * service_manifest_version parses first (kstrtouint base 0) and bumps only on success. With
 * a service provider set, sev_report_new() asks the SVSM (svsm.c) instead of the firmware.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "teeabi/bytes.h"

#define TEXT_MAX 4095 /* SIMPLE_ATTR_SIZE - 1 */
#define INBLOB_MAX_FAULTY 4096

enum attr_id {
	A_PROVIDER, A_GENERATION, A_PRIVLEVEL, A_PRIVLEVEL_FLOOR, A_INBLOB, A_OUTBLOB, A_AUXBLOB,
	A_SERVICE_PROVIDER, A_SERVICE_GUID, A_SERVICE_MANIFEST_VER, A_MANIFESTBLOB,
};
struct attr_def {
	const char *name;
	unsigned mode;
	bool bin;
	enum attr_id id;
};
static const struct attr_def attrs_tdx[] = {
	{ "provider", 0444, false, A_PROVIDER },
	{ "generation", 0444, false, A_GENERATION },
	{ "inblob", 0200, true, A_INBLOB },
	{ "outblob", 0444, true, A_OUTBLOB },
};
static const struct attr_def attrs_sev[] = {
	{ "provider", 0444, false, A_PROVIDER },
	{ "generation", 0444, false, A_GENERATION },
	{ "privlevel", 0200, false, A_PRIVLEVEL },
	{ "privlevel_floor", 0444, false, A_PRIVLEVEL_FLOOR },
	{ "inblob", 0200, true, A_INBLOB },
	{ "outblob", 0444, true, A_OUTBLOB },
	{ "auxblob", 0444, true, A_AUXBLOB },
};
/* sev_guest under an SVSM: sev_report_attr_visible() / sev_report_bin_attr_visible() add
 * these when snp_vmpl != 0 */
static const struct attr_def attrs_sev_svsm[] = {
	{ "provider", 0444, false, A_PROVIDER },
	{ "generation", 0444, false, A_GENERATION },
	{ "privlevel", 0200, false, A_PRIVLEVEL },
	{ "privlevel_floor", 0444, false, A_PRIVLEVEL_FLOOR },
	{ "service_provider", 0200, false, A_SERVICE_PROVIDER },
	{ "service_guid", 0200, false, A_SERVICE_GUID },
	{ "service_manifest_version", 0200, false, A_SERVICE_MANIFEST_VER },
	{ "inblob", 0200, true, A_INBLOB },
	{ "outblob", 0444, true, A_OUTBLOB },
	{ "auxblob", 0444, true, A_AUXBLOB },
	{ "manifestblob", 0444, true, A_MANIFESTBLOB },
};

struct tsm_entry {
	struct tsm_entry *next;
	char name[TM_TSM_NAME_MAX + 1];
	bool dead;               /* removed by rmdir/reset, kept while fds hold it */
	unsigned refs;           /* open file handles */
	uint64_t write_gen, read_gen;
	uint8_t inblob[TEEABI_TSM_INBLOB_MAX];
	size_t inblob_len;
	unsigned privlevel;
	char *service_provider;  /* NULL until written */
	uint8_t service_guid[16]; /* guid_t byte order; all zero = every service */
	unsigned service_manifest_version;
	bool cached;
	uint8_t *outblob, *auxblob, *manifestblob;
	size_t outlen, auxlen, manlen;
};

struct tm_tsm_state {
	struct tsm_entry *head; /* creation order; dead entries stay until their last fd closes */
};

struct tm_tsm_fh {
	struct tm_dev *d;
	struct tsm_entry *e;
	const struct attr_def *a;
	bool can_read, can_write;
	bool write_in_progress;
	uint8_t *wbuf;
	size_t wlen;
	bool filled;
	uint8_t *rbuf;
	size_t rlen;
};

/* ------------------------------------------------------------------ helpers */

static const struct attr_def *attr_set(const struct tm_dev *d, int *n)
{
	switch (d->prof.tsm_provider) {
	case TEEABI_TSM_TDX:
		if (TM_FAULT(d, TSM_AUXBLOB_ON_TDX)) {
			*n = (int)(sizeof(attrs_sev) / sizeof(attrs_sev[0]));
			return attrs_sev;
		}
		*n = (int)(sizeof(attrs_tdx) / sizeof(attrs_tdx[0]));
		return attrs_tdx;
	case TEEABI_TSM_SEV:
		if (d->prof.tsm_svsm || (TM_FAULT(d, TSM_SVSM_ATTRS_VISIBLE_AT_VMPL0) && d->prof.tsm_visibility_611)) {
			*n = (int)(sizeof(attrs_sev_svsm) / sizeof(attrs_sev_svsm[0]));
			return attrs_sev_svsm;
		}
		*n = (int)(sizeof(attrs_sev) / sizeof(attrs_sev[0]));
		return attrs_sev;
	default:
		*n = 0;
		return NULL;
	}
}

static const struct attr_def *attr_find(const struct tm_dev *d, const char *name)
{
	int n;
	const struct attr_def *a = attr_set(d, &n);

	for (int i = 0; i < n; i++)
		if (!strcmp(a[i].name, name))
			return &a[i];
	return NULL;
}

static struct tsm_entry *entry_find(struct tm_dev *d, const char *name)
{
	for (struct tsm_entry *e = d->tsm->head; e; e = e->next)
		if (!e->dead && !strcmp(e->name, name))
			return e;
	return NULL;
}

static void blobs_free(struct tsm_entry *e)
{
	free(e->outblob);
	free(e->auxblob);
	free(e->manifestblob);
	e->outblob = e->auxblob = e->manifestblob = NULL;
	e->outlen = e->auxlen = e->manlen = 0;
	e->cached = false;
}

static void entry_unlink_free(struct tm_dev *d, struct tsm_entry *e)
{
	for (struct tsm_entry **pp = &d->tsm->head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	blobs_free(e);
	free(e->service_provider);
	free(e);
}

static void entry_kill(struct tm_dev *d, struct tsm_entry *e)
{
	e->dead = true;
	if (!e->refs)
		entry_unlink_free(d, e);
}

/* tsm-mkdir-revives-removed-entry: a mkdir finds the removed entry of that name and brings
 * it back with its generation, inblob and blobs. */
static bool entry_revive(struct tm_dev *d, const char *name)
{
	for (struct tsm_entry *e = d->tsm->head; e; e = e->next)
		if (e->dead && !strcmp(e->name, name)) {
			e->dead = false;
			return true;
		}
	return false;
}

static int entry_create(struct tm_dev *d, const char *name)
{
	struct tsm_entry *e = calloc(1, sizeof(*e)), **pp;

	if (!e)
		return -ENOMEM;
	snprintf(e->name, sizeof(e->name), "%s", name);
	for (pp = &d->tsm->head; *pp; pp = &(*pp)->next)
		;
	*pp = e;
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ------------------------------------------------------------------ lifecycle */

static void precreate(struct tm_dev *d)
{
	if (d->prof.configfs_tsm && d->prof.tsm_provider != TEEABI_TSM_NONE && d->prof.tsm_precreate[0] &&
	    strnlen(d->prof.tsm_precreate, sizeof(d->prof.tsm_precreate)) < sizeof(d->prof.tsm_precreate) &&
	    !strchr(d->prof.tsm_precreate, '/'))
		entry_create(d, d->prof.tsm_precreate);
}

int tm_tsm_init(struct tm_dev *d)
{
	d->tsm = calloc(1, sizeof(*d->tsm));
	if (!d->tsm)
		return -ENOMEM;
	precreate(d);
	return 0;
}

void tm_tsm_fini(struct tm_dev *d)
{
	if (!d->tsm)
		return;
	while (d->tsm->head)
		entry_unlink_free(d, d->tsm->head);
	free(d->tsm);
	d->tsm = NULL;
}

void tm_tsm_reset(struct tm_dev *d)
{
	struct tsm_entry *e = d->tsm->head, *next;

	for (; e; e = next) {
		next = e->next;
		if (!e->dead)
			entry_kill(d, e);
	}
	precreate(d);
}

/* ------------------------------------------------------------------ tree */

/* The report directory is the tsm core's default group, registered at module init whether or
 * not a provider ever registers (tsm_init(), drivers/virt/coco/tsm.c 6.12; tsm_report_init(),
 * guest/report.c 7.3: configfs_register_default_group(root, "report", ...)); mkdir in it is
 * then ENXIO. tsm-report-dir-absent-without-provider: registered only with a provider. */
bool tm_tsm_root_exists(struct tm_dev *d)
{
	return d->prof.configfs_tsm &&
	       !(d->prof.tsm_provider == TEEABI_TSM_NONE && TM_FAULT(d, TSM_REPORT_DIR_ABSENT_WITHOUT_PROVIDER));
}

int tm_tsm_mkdir(struct tm_dev *d, const char *name)
{
	size_t len;
	int rc;

	if (!tm_tsm_root_exists(d))
		return -ENOENT;
	if (!name || !*name)
		return -ENOENT;
	len = strnlen(name, TM_TSM_NAME_MAX + 1);
	/* tsm-entry-name-20-chars: the name kept only in the inline ci_namebuf (20 bytes) */
	if (len > (TM_FAULT(d, TSM_ENTRY_NAME_20_CHARS) ? 20 : TM_TSM_NAME_MAX))
		return -ENAMETOOLONG;
	if (strchr(name, '/'))
		return -EINVAL;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return -EEXIST;
	TM_LOCK(d);
	if (entry_find(d, name))
		rc = -EEXIST;
	else if (d->prof.tsm_provider == TEEABI_TSM_NONE && !TM_FAULT(d, TSM_NOPROVIDER_MKDIR_ALLOWED))
		rc = -ENXIO;
	else if (TM_FAULT(d, TSM_MKDIR_REVIVES_REMOVED_ENTRY) && entry_revive(d, name))
		rc = 0;
	else
		rc = entry_create(d, name);
	TM_UNLOCK(d);
	return rc;
}

int tm_tsm_rmdir(struct tm_dev *d, const char *name)
{
	struct tsm_entry *e;
	int rc = 0;

	if (!d->prof.configfs_tsm || !name)
		return -ENOENT;
	TM_LOCK(d);
	e = entry_find(d, name);
	if (!e)
		rc = -ENOENT;
	else if (TM_FAULT(d, TSM_MKDIR_REVIVES_REMOVED_ENTRY))
		e->dead = true; /* hidden, state kept for entry_revive() */
	else if (!TM_FAULT(d, TSM_RMDIR_LEAK))
		entry_kill(d, e);
	TM_UNLOCK(d);
	return rc;
}

int tm_tsm_list(struct tm_dev *d, char (*names)[TM_TSM_NAME_MAX + 1], int max)
{
	int n = 0;

	if (!d->prof.configfs_tsm)
		return 0;
	TM_LOCK(d);
	for (struct tsm_entry *e = d->tsm->head; e; e = e->next) {
		if (e->dead)
			continue;
		if (n < max && names)
			snprintf(names[n], TM_TSM_NAME_MAX + 1, "%s", e->name);
		n++;
	}
	TM_UNLOCK(d);
	return n;
}

bool tm_tsm_entry_exists(struct tm_dev *d, const char *name)
{
	bool r;

	if (!d->prof.configfs_tsm || !name)
		return false;
	TM_LOCK(d);
	r = entry_find(d, name) != NULL;
	TM_UNLOCK(d);
	return r;
}

int tm_tsm_entry_count(struct tm_dev *d)
{
	int n = 0;

	if (!d->tsm)
		return 0;
	TM_LOCK(d);
	for (struct tsm_entry *e = d->tsm->head; e; e = e->next)
		n++;
	TM_UNLOCK(d);
	return n;
}

long tm_tsm_generation(struct tm_dev *d, const char *entry)
{
	struct tsm_entry *e;
	long g;

	if (!d->prof.configfs_tsm || !entry)
		return -ENOENT;
	TM_LOCK(d);
	e = entry_find(d, entry);
	g = e ? (long)e->write_gen : -ENOENT;
	TM_UNLOCK(d);
	return g;
}

int tm_tsm_attr_count(struct tm_dev *d)
{
	int n;

	attr_set(d, &n);
	return n;
}

const char *tm_tsm_attr_name(struct tm_dev *d, int i)
{
	int n;
	const struct attr_def *a = attr_set(d, &n);

	return i >= 0 && i < n ? a[i].name : NULL;
}

unsigned tm_tsm_attr_mode(struct tm_dev *d, int i)
{
	int n;
	const struct attr_def *a = attr_set(d, &n);

	return i >= 0 && i < n ? a[i].mode : 0;
}

bool tm_tsm_attr_is_bin(struct tm_dev *d, int i)
{
	int n;
	const struct attr_def *a = attr_set(d, &n);

	return i >= 0 && i < n && a[i].bin;
}

int tm_tsm_attr_lookup(struct tm_dev *d, const char *attr)
{
	int n;
	const struct attr_def *a = attr_set(d, &n);

	for (int i = 0; attr && i < n; i++)
		if (!strcmp(a[i].name, attr))
			return i;
	return -ENOENT;
}

/* ------------------------------------------------------------------ attribute stores */

/* kstrtouint(s, base): base 0 picks 16 for "0x" + hex digit, 8 for a leading 0, else 10;
 * a leading '+' and one trailing '\n' are accepted; nothing else. */
static int parse_uint(const char *s, unsigned base, unsigned *out)
{
	uint64_t v = 0;
	bool any = false, overflow = false;

	if (*s == '+')
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    ((s[2] >= '0' && s[2] <= '9') || ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f')))
			base = 16;
		else if (s[0] == '0')
			base = 8;
		else
			base = 10;
		if (base == 16)
			s += 2;
	}
	for (;; s++) {
		unsigned dg;
		if (*s >= '0' && *s <= '9')
			dg = (unsigned)(*s - '0');
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			dg = (unsigned)((*s | 0x20) - 'a' + 10);
		else
			break;
		if (dg >= base)
			break;
		if (v > (UINT64_MAX - dg) / base)
			overflow = true;
		else
			v = v * base + dg;
		any = true;
	}
	if (!any)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (v > UINT_MAX)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

static int privlevel_store(struct tm_dev *d, struct tsm_entry *e, const char *s)
{
	unsigned v;
	char trimmed[TEXT_MAX + 1];

	/* tsm-privlevel-whitespace-accepted: a store that strim()s the text before parsing */
	if (TM_FAULT(d, TSM_PRIVLEVEL_WHITESPACE_ACCEPTED)) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		size_t l = strnlen(s, TEXT_MAX);
		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n'))
			l--;
		memcpy(trimmed, s, l);
		trimmed[l] = 0;
		s = trimmed;
	}
	int rc = parse_uint(s, TM_FAULT(d, TSM_PRIVLEVEL_BASE10) ? 10 : 0, &v);

	if (rc)
		return rc;
	if (v < d->prof.privlevel_floor || (v > TEEABI_TSM_PRIVLEVEL_MAX && !TM_FAULT(d, TSM_PRIVLEVEL_NO_RANGE))) {
		if (TM_FAULT(d, TSM_GENERATION_BUMP_ON_EINVAL))
			e->write_gen++;
		return -EINVAL;
	}
	e->write_gen++;
	e->privlevel = v;
	return 0;
}

/* tsm_report_service_provider_store: bump first, then keep the string without one trailing
 * newline (kstrndup: up to the first NUL). Any value is accepted here; sev_report_new()
 * rejects all but "svsm". */
static int service_provider_store(struct tm_dev *d, struct tsm_entry *e, const char *page, size_t len)
{
	size_t l = page[len - 1] == '\n' ? len - 1 : len;
	char *sp;

	if (TM_FAULT(d, TSM_SERVICE_PROVIDER_CHECKED_AT_WRITE) && (l != 4 || memcmp(page, "svsm", 4)))
		return -EINVAL;
	e->write_gen++;
	sp = strndup(page, l);
	if (!sp)
		return -ENOMEM;
	free(e->service_provider);
	e->service_provider = sp;
	return 0;
}

/* tsm_report_service_guid_store: bump, reset to the null GUID, then guid_parse(). */
static int service_guid_store(struct tm_dev *d, struct tsm_entry *e, const char *page)
{
	uint8_t g[16];

	/* tsm-service-guid-no-bump: the GUID changes, the cached report stays */
	if (!TM_FAULT(d, TSM_SERVICE_GUID_NO_BUMP))
		e->write_gen++;
	if (!TM_FAULT(d, TSM_SERVICE_GUID_NO_RESET))
		memset(e->service_guid, 0, sizeof(e->service_guid));
	if (teeabi_guid_parse_le(page, g))
		return -EINVAL;
	/* tsm-service-guid-uppercase-refused: a parser that takes [0-9a-f] only */
	if (TM_FAULT(d, TSM_SERVICE_GUID_UPPERCASE_REFUSED) && strcspn(page, "ABCDEF") < 36)
		return -EINVAL;
	if (TM_FAULT(d, TSM_SERVICE_GUID_TRAILING_TEXT_REJECTED) && page[36] && page[36] != '\n')
		return -EINVAL;
	memcpy(e->service_guid, g, sizeof(g));
	return 0;
}

/* tsm_report_service_manifest_version_store: kstrtouint base 0, then bump. */
static int service_manifest_version_store(struct tsm_entry *e, const char *page)
{
	unsigned v;
	int rc = parse_uint(page, 0, &v);

	if (rc)
		return rc;
	e->write_gen++;
	e->service_manifest_version = v;
	return 0;
}

static void inblob_store(struct tm_dev *d, struct tsm_entry *e, const uint8_t *buf, size_t n)
{
	if (!TM_FAULT(d, TSM_GENERATION_NOT_BUMPED))
		e->write_gen++;
	if (n > sizeof(e->inblob))
		n = sizeof(e->inblob); /* only reachable with tsm-inblob-65-accepted */
	if (n)
		memcpy(e->inblob, buf, n);
	/* tsm-inblob-len-never-shrinks: the length only grows, a shorter inblob keeps the old tail */
	if (!TM_FAULT(d, TSM_INBLOB_LEN_NEVER_SHRINKS) || n > e->inblob_len)
		e->inblob_len = n;
}

/* ------------------------------------------------------------------ providers */

static int tdx_report_new(struct tm_dev *d, struct tsm_entry *e, const uint8_t rd[64])
{
	uint8_t tdr[TEEABI_TDX_REPORT_LEN];
	uint8_t *q = NULL;
	size_t qlen = 0;
	int rc;

	rc = tm_tdx_tdreport_locked(d, rd, tdr);
	if (rc)
		return rc;
	rc = tm_tdx_quote_locked(d, tdr, &q, &qlen);
	if (rc)
		return rc;
	if (TM_FAULT(d, TSM_QUOTE_HEADER_INCLUDED)) {
		uint8_t *h = malloc(qlen + sizeof(struct teeabi_tdx_quote_hdr));
		struct teeabi_tdx_quote_hdr hdr = { .version = 1, .status = 0, .in_len = TEEABI_TDX_REPORT_LEN,
						    .out_len = (uint32_t)qlen };
		if (!h) {
			free(q);
			return -ENOMEM;
		}
		memcpy(h, &hdr, sizeof(hdr));
		memcpy(h + sizeof(hdr), q, qlen);
		free(q);
		q = h;
		qlen += sizeof(hdr);
	}
	e->outblob = q;
	e->outlen = qlen;
	return 0;
}

/* sev_svsm_report_new: one SVSM attestation call with the kernel's first buffer sizes (4K
 * report, 4K manifest, 16K certificates), grown to what the SVSM asks for on
 * INVALID_PARAMETER, at most 3 retries; every other failure is -EINVAL. */
#define SVSM_MAX_RETRIES 3
static int svsm_report_new(struct tm_dev *d, struct tsm_entry *e, const uint8_t rd[64])
{
	size_t rep_len = 4096, man_len = 4096, certs_len = TEEABI_SNP_CERTS_MAX;
	unsigned retries = 0;
	struct tm_svsm_call c;
	uint8_t *buf;
	uint64_t rax;

	for (;;) {
		buf = calloc(1, rep_len + man_len + certs_len);
		if (!buf)
			return -ENOMEM;
		memset(&c, 0, sizeof(c));
		c.nonce = rd;
		c.nonce_len = e->inblob_len;
		c.guid = teeabi_all_zero(e->service_guid, 16) ? NULL : e->service_guid;
		/* tsm-svsm-manifest-version-ignored: the attribute is stored but never passed on */
		c.manifest_ver = TM_FAULT(d, TSM_SVSM_MANIFEST_VERSION_IGNORED) ? 0 : e->service_manifest_version;
		c.report = buf;
		c.report_len = rep_len;
		c.manifest = buf + rep_len;
		c.manifest_len = man_len;
		c.certs = buf + rep_len + man_len;
		c.certs_len = certs_len;
		rax = tm_svsm_attest_locked(d, &c);
		if (!rax)
			break;
		free(buf);
		if (rax != TM_SVSM_ERR_INVALID_PARAMETER)
			return -EINVAL;
		bool again = false;
		if (c.report_len > rep_len)
			rep_len = (c.report_len + 4095) & ~(size_t)4095, again = true;
		if (c.manifest_len > man_len)
			man_len = (c.manifest_len + 4095) & ~(size_t)4095, again = true;
		if (c.certs_len > certs_len)
			certs_len = (c.certs_len + 4095) & ~(size_t)4095, again = true;
		if (!again || retries++ >= SVSM_MAX_RETRIES)
			return -EINVAL;
	}
	e->outblob = malloc(c.report_len ? c.report_len : 1);
	e->manifestblob = malloc(c.manifest_len ? c.manifest_len : 1);
	e->auxblob = c.certs_len ? malloc(c.certs_len) : NULL;
	if (!e->outblob || !e->manifestblob || (c.certs_len && !e->auxblob)) {
		free(buf);
		blobs_free(e);
		return -ENOMEM;
	}
	memcpy(e->outblob, c.report, c.report_len);
	e->outlen = c.report_len;
	memcpy(e->manifestblob, c.manifest, c.manifest_len);
	e->manlen = c.manifest_len;
	if (c.certs_len)
		memcpy(e->auxblob, c.certs, c.certs_len);
	e->auxlen = c.certs_len;
	free(buf);
	return 0;
}

static int sev_report_new(struct tm_dev *d, struct tsm_entry *e, const uint8_t rd[64])
{
	uint8_t resp[sizeof(struct teeabi_snp_report_resp)];
	size_t clen = TEEABI_SNP_CERTS_MAX;
	uint8_t *certs = malloc(clen);
	uint32_t status, rsize;
	uint64_t certs_size = 0;
	size_t i;
	int rc;

	if (!certs)
		return -ENOMEM;
	if (e->service_provider) {
		free(certs);
		if (strcmp(e->service_provider, TEEABI_TSM_SERVICE_PROVIDER_SVSM))
			return -EINVAL;
		return svsm_report_new(d, e, rd);
	}
	rc = tm_sev_ext_report_locked(d, rd, e->privlevel, resp, certs, &clen);
	if (rc)
		goto out;
	status = le32(resp);
	if (status == TEEABI_SEV_RET_INVALID_PARAM || status == TEEABI_SEV_RET_INVALID_KEY) {
		rc = -EINVAL;
		goto out;
	}
	if (status) {
		rc = -ENXIO;
		goto out;
	}
	rsize = le32(resp + 4);
	if ((uint64_t)rsize + TEEABI_SNP_MSG_REPORT_RSP_HDR > sizeof(resp)) {
		rc = -ENOMEM;
		goto out;
	}
	e->outblob = malloc(rsize ? rsize : 1);
	if (!e->outblob) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(e->outblob, resp + TEEABI_SNP_MSG_REPORT_RSP_HDR, rsize);
	e->outlen = rsize;
	/* auxblob: the table cut at max(offset + length) over the entries before the
	 * all-zero terminator, capped at the certificate buffer */
	for (i = 0; i + 24 <= clen; i += 24) {
		const uint8_t *ent = certs + i;
		bool zero = true;
		for (int k = 0; k < 24; k++)
			zero = zero && !ent[k];
		if (zero)
			break;
		uint64_t end = (uint64_t)le32(ent + 16) + le32(ent + 20);
		if (end > certs_size)
			certs_size = end;
	}
	if (certs_size > clen)
		certs_size = clen;
	if (certs_size) {
		e->auxblob = malloc((size_t)certs_size);
		if (!e->auxblob) {
			blobs_free(e);
			rc = -ENOMEM;
			goto out;
		}
		memcpy(e->auxblob, certs, (size_t)certs_size);
		e->auxlen = (size_t)certs_size;
	}
	rc = 0;
out:
	free(certs);
	return rc;
}

/* tsm_report_read: the blob of this generation, generating it when needed. */
static int report_blob(struct tm_dev *d, struct tsm_entry *e, enum attr_id which, const uint8_t **p, size_t *n)
{
	uint8_t rd[TEEABI_TSM_INBLOB_MAX] = { 0 };
	int rc;

	if (!e->inblob_len && !TM_FAULT(d, TSM_OUTBLOB_BEFORE_INBLOB))
		return -EINVAL;
	/* tsm-cache-shared-across-entries: one "last report" per device tagged with the
	 * generation: an entry at the generation of another entry's cached report gets its blobs */
	for (struct tsm_entry *f = d->tsm->head; TM_FAULT(d, TSM_CACHE_SHARED_ACROSS_ENTRIES) && f &&
	     !(e->cached && e->read_gen == e->write_gen); f = f->next)
		if (f != e && !f->dead && f->cached && f->read_gen == e->write_gen && f->outblob) {
			blobs_free(e);
			e->outblob = malloc(f->outlen);
			if (!e->outblob)
				return -ENOMEM;
			memcpy(e->outblob, f->outblob, f->outlen);
			e->outlen = f->outlen;
			e->cached = true;
			e->read_gen = e->write_gen;
		}
	if (!(e->cached && e->read_gen == e->write_gen) || TM_FAULT(d, TSM_OUTBLOB_NOT_CACHED)) {
		blobs_free(e);
		if (e->inblob_len != TEEABI_TSM_INBLOB_MAX && !(TM_FAULT(d, TSM_OUTBLOB_BEFORE_INBLOB) && !e->inblob_len)) {
			/* tsm-failed-read-bumps-generation: a failed generation counts as a write */
			if (TM_FAULT(d, TSM_FAILED_READ_BUMPS_GENERATION))
				e->write_gen++;
			return -EINVAL;
		}
		memcpy(rd, e->inblob, e->inblob_len);
		if (TM_FAULT(d, TSM_REPORTDATA_NOT_ECHOED))
			rd[0] ^= 0x80;
		if (d->prof.tsm_provider == TEEABI_TSM_SEV)
			rc = sev_report_new(d, e, rd);
		else if (d->prof.tsm_provider == TEEABI_TSM_TDX)
			rc = tdx_report_new(d, e, rd);
		else
			rc = -ENXIO;
		if (rc) {
			blobs_free(e);
			if (TM_FAULT(d, TSM_FAILED_READ_BUMPS_GENERATION))
				e->write_gen++;
			return rc;
		}
		e->cached = true;
		e->read_gen = e->write_gen;
	}
	if (which == A_AUXBLOB) {
		*p = e->auxblob;
		*n = e->auxlen;
	} else if (which == A_MANIFESTBLOB) {
		*p = e->manifestblob;
		*n = e->manlen;
	} else {
		*p = e->outblob;
		*n = e->outlen;
	}
	return 0;
}

/* Fill the fd's private copy (configfs fill_read_buffer / the bin attribute's read). */
static int fh_fill(struct tm_tsm_fh *fh)
{
	struct tm_dev *d = fh->d;
	struct tsm_entry *e = fh->e;
	char text[64];
	const uint8_t *src = (const uint8_t *)text;
	size_t n = 0;
	int rc;

	if (e->dead && !TM_FAULT(d, TSM_READ_AFTER_RMDIR_WORKS))
		return -ENOENT;
	switch (fh->a->id) {
	case A_PROVIDER:
		n = (size_t)snprintf(text, sizeof(text), "%s%s", d->prof.tsm_provider == TEEABI_TSM_SEV ? "sev_guest" : "tdx_guest",
				     TM_FAULT(d, TSM_PROVIDER_NO_NEWLINE) ? "" : "\n");
		break;
	case A_GENERATION:
		/* tsm-generation-hex: the show() with "%lx" (the same as decimal up to 9) */
		n = (size_t)snprintf(text, sizeof(text), TM_FAULT(d, TSM_GENERATION_HEX) ? "%lx\n" : "%lu\n",
				     (unsigned long)e->write_gen);
		break;
	case A_PRIVLEVEL_FLOOR:
		n = (size_t)snprintf(text, sizeof(text), "%u\n", d->prof.privlevel_floor);
		break;
	case A_AUXBLOB:
		/* tsm-auxblob-empty-before-outblob: auxblob served from the cache only, empty when it
		 * is the first blob read of a generation */
		if (TM_FAULT(d, TSM_AUXBLOB_EMPTY_BEFORE_OUTBLOB) && !(e->cached && e->read_gen == e->write_gen))
			break;
		/* fall through */
	case A_OUTBLOB:
	case A_MANIFESTBLOB:
		rc = report_blob(d, e, fh->a->id, &src, &n);
		if (rc)
			return rc;
		if (d->prof.tsm_outblob_max && n > d->prof.tsm_outblob_max)
			return -EFBIG;
		break;
	default:
		return -EINVAL; /* no show(): only reachable through tsm-wrong-mode-open */
	}
	fh->rbuf = malloc(n ? n : 1);
	if (!fh->rbuf)
		return -ENOMEM;
	if (n)
		memcpy(fh->rbuf, src, n);
	fh->rlen = n;
	fh->filled = true;
	return 0;
}

/* ------------------------------------------------------------------ file operations */

int tm_tsm_open(struct tm_dev *d, const char *entry, const char *attr, int flags, struct tm_tsm_fh **out)
{
	struct tsm_entry *e;
	const struct attr_def *a;
	struct tm_tsm_fh *fh;
	int acc = flags & O_ACCMODE;
	bool r = acc == O_RDONLY || acc == O_RDWR, w = acc == O_WRONLY || acc == O_RDWR;
	int rc = 0;

	*out = NULL;
	if (!d->prof.configfs_tsm || !entry || !attr)
		return -ENOENT;
	if (acc == O_ACCMODE)
		return -EINVAL;
	TM_LOCK(d);
	e = entry_find(d, entry);
	a = e ? attr_find(d, attr) : NULL;
	if (!e || !a) {
		rc = -ENOENT;
		goto out;
	}
	if (w && !(a->mode & 0222)) {
		rc = -EACCES;
		goto out;
	}
	if (r && !(a->mode & 0444) && !(TM_FAULT(d, TSM_WRONG_MODE_OPEN) && a->id == A_INBLOB && acc == O_RDONLY)) {
		rc = -EACCES;
		goto out;
	}
	fh = calloc(1, sizeof(*fh));
	if (!fh) {
		rc = -ENOMEM;
		goto out;
	}
	fh->d = d;
	fh->e = e;
	fh->a = a;
	fh->can_read = r;
	fh->can_write = w;
	e->refs++;
	*out = fh;
out:
	TM_UNLOCK(d);
	return rc;
}

ssize_t tm_tsm_read(struct tm_tsm_fh *fh, void *buf, size_t len, off_t off)
{
	struct tm_dev *d;
	ssize_t rc;

	if (!fh)
		return -EBADF;
	d = fh->d;
	if (!fh->can_read)
		return -EBADF;
	if (off < 0)
		return -EINVAL;
	TM_LOCK(d);
	/* tsm-bin-read-refetches: a read past the start asks the attribute again instead of
	 * serving the fd's copy */
	if (TM_FAULT(d, TSM_BIN_READ_REFETCHES) && off > 0 && fh->filled && fh->a->bin) {
		free(fh->rbuf);
		fh->rbuf = NULL;
		fh->filled = false;
	}
	if (!fh->filled) {
		if ((rc = fh_fill(fh)) < 0)
			goto out;
		/* tsm-first-read-ignores-offset: the filling read serves from byte 0 whatever the
		 * file position */
		if (TM_FAULT(d, TSM_FIRST_READ_IGNORES_OFFSET))
			off = 0;
	}
	if ((uint64_t)off >= fh->rlen) {
		rc = 0;
		goto out;
	}
	if (len > fh->rlen - (size_t)off)
		len = fh->rlen - (size_t)off;
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	memcpy(buf, fh->rbuf + off, len);
	rc = (ssize_t)len;
out:
	TM_UNLOCK(d);
	return rc;
}

static ssize_t bin_write(struct tm_tsm_fh *fh, const void *buf, size_t len, off_t off)
{
	struct tm_dev *d = fh->d;
	size_t max = TM_FAULT(d, TSM_INBLOB_65_ACCEPTED) ? INBLOB_MAX_FAULTY : TEEABI_TSM_INBLOB_MAX;
	size_t end;

	fh->write_in_progress = true;
	if ((uint64_t)off > SIZE_MAX - len)
		return -EFBIG;
	end = (size_t)off + len;
	if (end > fh->wlen) {
		uint8_t *nb;
		if (end > max)
			return -EFBIG;
		nb = realloc(fh->wbuf, end);
		if (!nb)
			return -ENOMEM;
		memset(nb + fh->wlen, 0, end - fh->wlen);
		fh->wbuf = nb;
		fh->wlen = end;
	}
	if (!len)
		return -EFAULT; /* configfs: "return len ? : -EFAULT" */
	/* tsm-inblob-write-ignores-offset: every chunk lands at byte 0 (the write op drops *ppos) */
	memcpy(fh->wbuf + (TM_FAULT(d, TSM_INBLOB_WRITE_IGNORES_OFFSET) ? 0 : (size_t)off), buf, len);
	if (TM_FAULT(d, TSM_INBLOB_APPLIED_ON_WRITE)) {
		if (fh->e->dead)
			return -ENOENT;
		inblob_store(d, fh->e, fh->wbuf, fh->wlen);
	}
	return (ssize_t)len;
}

static ssize_t text_write(struct tm_tsm_fh *fh, const void *buf, size_t len)
{
	char page[TEXT_MAX + 1];
	size_t n = len < TEXT_MAX ? len : TEXT_MAX;
	int rc;

	if (!n)
		return -EFAULT;
	memcpy(page, buf, n);
	page[n] = 0;
	if (fh->e->dead)
		return -ENOENT;
	switch (fh->a->id) {
	case A_PRIVLEVEL:
		rc = privlevel_store(fh->d, fh->e, page);
		break;
	case A_SERVICE_PROVIDER:
		rc = service_provider_store(fh->d, fh->e, page, n);
		break;
	case A_SERVICE_GUID:
		rc = service_guid_store(fh->d, fh->e, page);
		break;
	case A_SERVICE_MANIFEST_VER:
		rc = service_manifest_version_store(fh->e, page);
		break;
	default:
		return -EINVAL;
	}
	return rc ? rc : (ssize_t)n;
}

ssize_t tm_tsm_write(struct tm_tsm_fh *fh, const void *buf, size_t len, off_t off)
{
	ssize_t rc;

	if (!fh)
		return -EBADF;
	if (!fh->can_write)
		return -EBADF;
	if (off < 0)
		return -EINVAL;
	if (len && !buf)
		return -EFAULT;
	TM_LOCK(fh->d);
	rc = fh->a->bin ? bin_write(fh, buf, len, off) : text_write(fh, buf, len);
	TM_UNLOCK(fh->d);
	return rc;
}

int tm_tsm_release(struct tm_tsm_fh *fh)
{
	struct tm_dev *d;
	struct tsm_entry *e;

	if (!fh)
		return 0;
	d = fh->d;
	e = fh->e;
	TM_LOCK(d);
	/* configfs_release_bin_file: store the accumulated buffer unless the item is dead;
	 * the result is ignored */
	if (fh->a->bin && fh->write_in_progress && !e->dead && !TM_FAULT(d, TSM_INBLOB_APPLIED_ON_WRITE))
		inblob_store(d, e, fh->wbuf, fh->wlen);
	e->refs--;
	if (e->dead && !e->refs)
		entry_unlink_free(d, e);
	TM_UNLOCK(d);
	free(fh->wbuf);
	free(fh->rbuf);
	free(fh);
	return 0;
}
