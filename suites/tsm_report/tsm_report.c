/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/tsm_report - configfs-tsm report ABI (docs/kernel-abi.md §3, §1.3, §2.6;
 * Documentation/ABI/testing/configfs-tsm[-report]).
 *
 * Verified, on fresh entries that are always removed again:
 *  - provider reads "<name>\n" for the profile's provider; generation starts at "0\n";
 *  - the attribute set and modes per provider and kernel (TDX: inblob outblob provider
 *    generation; SEV adds privlevel privlevel_floor auxblob; SVSM attributes only when the
 *    guest runs above VMPL0 on 6.11+);
 *  - inblob is committed at close() (one generation bump per open/write/close however many
 *    write() calls), a write past 64 bytes is EFBIG, every committed write bumps generation
 *    by exactly 1 (same value included);
 *  - outblob before any inblob is EINVAL; an inblob that is not 64 bytes is EINVAL at read;
 *  - outblob is cached until the next write (byte-identical re-read, generation unchanged);
 *  - outblob is a raw quote (TDX) / report (SNP) whose report data equals the inblob and
 *    whose signatures verify (auxblob's VCEK/VLEK for SNP); auxblob parses;
 *  - wrong-mode opens are EACCES (root included);
 *  - rmdir removes the entry and its files (ENOENT afterwards), entries are independent;
 *  - privlevel: kstrtouint base 0, range floor..3, EINVAL without a generation bump;
 *    privlevel_floor as the profile says (SNP only);
 *  - the pre-created entry (com.intel.dcap on dstack 0.6 TDX) is there with the provider.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "../common/tst.h"
#include "../common/util.h"

#define OUTCAP (256 * 1024)

static void mkentry_or_brk(char *path, size_t len)
{
	int rc = u_tsm_mkentry(path, len);
	if (rc)
		tst_brk(TST_FAIL, "mkdir %s failed: %s (a provider is registered)", path, tst_errno_name(-rc));
}

static unsigned long gen_or_fail(const char *entry)
{
	unsigned long g = 0;
	int rc = u_tsm_generation(entry, &g);
	if (rc)
		tst_brk(TST_FAIL, "reading %s/generation failed: %s%s", entry, tst_errno_name(-rc),
			rc == -EBADMSG ? " (not \"%lu\\n\")" : "");
	return g;
}

static void write_inblob_or_fail(const char *entry, const uint8_t *rd, size_t len)
{
	int werr;
	int rc = u_tsm_write(entry, "inblob", rd, len, &werr);
	if (rc)
		tst_brk(TST_FAIL, "writing %zu bytes to inblob failed: %s", len, tst_errno_name(-rc));
}

static const char *expected_provider(void)
{
	return teeabi_tsm_provider_name(tst_profile->tsm_provider);
}

static bool is_sev(void) { return tst_profile->tsm_provider == TEEABI_TSM_SEV; }

/* ------------------------------------------------------------------ provider, generation */
static void t_provider(void)
{
	char e[512], buf[64];
	mkentry_or_brk(e, sizeof(e));
	ssize_t n = u_tsm_read(e, "provider", buf, sizeof(buf) - 1);
	if (n < 0)
		tst_brk(TST_FAIL, "reading provider failed: %s", tst_errno_name((int)-n));
	buf[n] = 0;
	char want[48];
	snprintf(want, sizeof(want), "%s\n", expected_provider());
	if (strcmp(buf, want) != 0) {
		char shown[80];
		size_t k = 0;
		for (ssize_t i = 0; i < n && k < sizeof(shown) - 3; i++) {
			if (buf[i] == '\n') { shown[k++] = '\\'; shown[k++] = 'n'; }
			else shown[k++] = buf[i];
		}
		shown[k] = 0;
		tst_fail("provider reads \"%s\", want \"%s\\n\"%s", shown, expected_provider(),
			 (n > 0 && buf[n - 1] != '\n') ? " (no trailing newline)" : "");
	} else {
		tst_pass("provider reads \"%s\\n\"", expected_provider());
	}
	unsigned long g = gen_or_fail(e);
	TST_EXPECT(g == 0, "generation of a fresh entry is %lu, want 0", g);
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ attribute set */
struct attr { const char *name; unsigned mode; };

static void t_attrs(void)
{
	char e[512];
	mkentry_or_brk(e, sizeof(e));
	struct attr want[16];
	int nw = 0;
	want[nw++] = (struct attr){ "inblob", 0200 };
	want[nw++] = (struct attr){ "outblob", 0444 };
	want[nw++] = (struct attr){ "provider", 0444 };
	want[nw++] = (struct attr){ "generation", 0444 };
	bool svsm_possible = false;
	if (is_sev()) {
		want[nw++] = (struct attr){ "privlevel", 0200 };
		want[nw++] = (struct attr){ "privlevel_floor", 0444 };
		want[nw++] = (struct attr){ "auxblob", 0444 };
		/* SVSM attributes are visible only when the guest runs above VMPL0 (6.11+). */
		if (tst_profile->tsm_visibility_611 && tst_profile->sev_vmpl != 0) {
			svsm_possible = true;
			want[nw++] = (struct attr){ "service_provider", 0200 };
			want[nw++] = (struct attr){ "service_guid", 0200 };
			want[nw++] = (struct attr){ "service_manifest_version", 0200 };
			want[nw++] = (struct attr){ "manifestblob", 0444 };
		}
	}
	tst_info("provider %s, kernel %s: expecting %d attributes%s", expected_provider(), tst_profile->kernel, nw,
		 svsm_possible ? " (SVSM set included)" : "");
	bool seen[16] = { 0 };
	DIR *d = opendir(e);
	if (!d)
		tst_brk(TST_FAIL, "opendir %s: %s", e, tst_errno_name(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		int k = -1;
		for (int i = 0; i < nw; i++)
			if (!strcmp(de->d_name, want[i].name))
				k = i;
		if (k < 0) {
			tst_fail("unexpected attribute \"%s\" for provider %s on kernel %s", de->d_name, expected_provider(),
				 tst_profile->kernel);
			continue;
		}
		seen[k] = true;
		char p[768];
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", e, de->d_name);
		if (stat(p, &st) < 0) {
			tst_fail("stat %s: %s", p, tst_errno_name(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode))
			tst_fail("%s is not a regular file (mode 0%o)", de->d_name, (unsigned)st.st_mode);
		if ((st.st_mode & 0777) != want[k].mode)
			tst_fail("%s has mode 0%03o, want 0%03o", de->d_name, (unsigned)(st.st_mode & 0777), want[k].mode);
	}
	closedir(d);
	for (int i = 0; i < nw; i++)
		if (!seen[i])
			tst_fail("attribute \"%s\" missing for provider %s", want[i].name, expected_provider());
	if (!tst_fail_count())
		tst_pass("attribute set and modes as documented for %s", expected_provider());
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ inblob */
static void t_inblob_commit_at_close(void)
{
	char e[512], p[600];
	uint8_t rd[64];
	mkentry_or_brk(e, sizeof(e));
	u_fill_pattern(rd, 64);
	snprintf(p, sizeof(p), "%s/inblob", e);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open inblob O_WRONLY: %s", tst_errno_name(errno));
	ssize_t w1 = write(fd, rd, 32);
	ssize_t w2 = write(fd, rd + 32, 32);
	if (w1 != 32 || w2 != 32) {
		tst_fail("two 32-byte writes to inblob returned %zd and %zd (%s)", w1, w2, tst_errno_name(errno));
		close(fd);
		return;
	}
	unsigned long g_open = gen_or_fail(e);
	close(fd);
	unsigned long g_closed = gen_or_fail(e);
	if (g_open != 0)
		tst_fail("generation is %lu while inblob is still open, want 0: inblob applied at write() instead of close()", g_open);
	if (g_closed != 1)
		tst_fail("generation is %lu after one open/write/write/close of inblob, want 1", g_closed);
	/* Opening and closing without writing changes nothing. */
	fd = open(p, O_WRONLY);
	if (fd >= 0)
		close(fd);
	unsigned long g3 = gen_or_fail(e);
	if (g3 != g_closed)
		tst_fail("an open/close of inblob without write() bumped generation %lu -> %lu", g_closed, g3);
	/* A same-value write still bumps by exactly one. */
	write_inblob_or_fail(e, rd, 64);
	unsigned long g4 = gen_or_fail(e);
	if (g4 != g3 + 1)
		tst_fail("rewriting the same inblob moved generation %lu -> %lu, want +1", g3, g4);
	if (!tst_fail_count())
		tst_pass("inblob committed once at close(); every committed write bumps generation by 1");
	u_tsm_rmentry(e);
}

static void t_inblob_efbig(void)
{
	char e[512], p[600];
	uint8_t buf[80];
	mkentry_or_brk(e, sizeof(e));
	u_fill_pattern(buf, sizeof(buf));
	snprintf(p, sizeof(p), "%s/inblob", e);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open inblob: %s", tst_errno_name(errno));
	errno = 0;
	ssize_t w = write(fd, buf, 65);
	int err = errno;
	close(fd);
	if (w >= 0)
		tst_fail("a 65-byte inblob write returned %zd, want EFBIG (TSM_INBLOB_MAX is 64)", w);
	else if (err != EFBIG)
		tst_fail("a 65-byte inblob write failed with %s, want EFBIG", tst_errno_name(err));
	else
		tst_pass("65-byte inblob write -> EFBIG");
	fd = open(p, O_WRONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open inblob: %s", tst_errno_name(errno));
	ssize_t a = write(fd, buf, 64);
	errno = 0;
	ssize_t b = write(fd, buf, 1);
	err = errno;
	close(fd);
	if (a != 64)
		tst_fail("a 64-byte inblob write returned %zd (%s)", a, tst_errno_name(err));
	else if (b >= 0 || err != EFBIG)
		tst_fail("a write past 64 cumulative inblob bytes returned %s, want EFBIG",
			 b >= 0 ? "success" : tst_errno_name(err));
	else
		tst_pass("64 + 1 bytes -> EFBIG on the second write");
	u_tsm_rmentry(e);
}

static void t_outblob_before_inblob(void)
{
	char e[512];
	uint8_t *buf = malloc(OUTCAP);
	if (!buf)
		tst_brk(TST_BROK, "malloc");
	mkentry_or_brk(e, sizeof(e));
	ssize_t n = u_tsm_read(e, "outblob", buf, OUTCAP);
	if (n >= 0)
		tst_fail("outblob read before any inblob returned %zd bytes, want EINVAL", n);
	else if (n != -EINVAL)
		tst_fail("outblob read before any inblob failed with %s, want EINVAL", tst_errno_name((int)-n));
	else
		tst_pass("outblob before inblob -> EINVAL");
	/* A short inblob is accepted at write time, rejected at generation time. */
	uint8_t rd[64];
	u_fill_pattern(rd, sizeof(rd));
	write_inblob_or_fail(e, rd, 32);
	n = u_tsm_read(e, "outblob", buf, OUTCAP);
	if (n >= 0)
		tst_fail("outblob after a 32-byte inblob returned %zd bytes, want EINVAL (both providers need 64)", n);
	else if (n != -EINVAL)
		tst_fail("outblob after a 32-byte inblob failed with %s, want EINVAL", tst_errno_name((int)-n));
	else
		tst_pass("32-byte inblob -> EINVAL at outblob read");
	free(buf);
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ outblob */
static void judge_outblob(const char *entry, const uint8_t *ob, size_t n, const uint8_t rd[64], long vmpl)
{
	if (tst_profile->tsm_provider == TEEABI_TSM_TDX) {
		/* DCAP's own bounds: > 1020 bytes, and it fits the GetQuote buffer minus its header. */
		size_t cap = tst_profile->tdx_quote_buf ? tst_profile->tdx_quote_buf - 24 : 8192 - 24;
		if (n <= 1020 || n > cap)
			tst_fail("TDX outblob is %zu bytes, outside (1020, %zu] for this kernel's %zu-byte quote buffer", n, cap,
				 cap + 24);
		u_judge_tdx_quote("outblob", ob, n, rd, NULL);
		tst_save_evidence("tsm-outblob.quote", ob, n);
	} else {
		uint8_t *aux = malloc(OUTCAP);
		if (!aux)
			tst_brk(TST_BROK, "malloc");
		ssize_t an = u_tsm_read(entry, "auxblob", aux, OUTCAP);
		if (an < 0) {
			tst_fail("auxblob read failed: %s", tst_errno_name((int)-an));
			an = 0;
		}
		if (an > TEEABI_SNP_CERTS_MAX)
			tst_fail("auxblob is %zd bytes, above the 16 KiB certificate buffer", an);
		if (n != TEEABI_SNP_REPORT_LEN)
			tst_fail("SNP outblob is %zu bytes, want %d (the report without the MSG_REPORT_RSP header)", n,
				 TEEABI_SNP_REPORT_LEN);
		if (an == 0)
			tst_info("auxblob is empty (host supplied no certificates): signature not checked");
		u_judge_snp_report("outblob", ob, n, rd, vmpl, an > 0 ? aux : NULL, (size_t)an);
		if (an > 0) {
			struct teeabi_cert_table *ct = calloc(1, sizeof(*ct));
			if (ct && teeabi_snp_cert_table_parse(aux, (size_t)an, 0, ct) == TEEABI_OK && ct->end != (size_t)an)
				tst_fail("auxblob is %zd bytes, want max(offset+length) = %zu", an, ct->end);
			free(ct);
			tst_save_evidence("tsm-auxblob.certs", aux, (size_t)an);
		}
		tst_save_evidence("tsm-outblob.report", ob, n);
		free(aux);
	}
}

static void t_outblob_evidence(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *ob = malloc(OUTCAP);
	if (!ob)
		tst_brk(TST_BROK, "malloc");
	mkentry_or_brk(e, sizeof(e));
	long vmpl = -1;
	if (is_sev()) {
		/* Ask for the floor explicitly; with an SVSM the default 0 is rejected. */
		char lv[16];
		int l = snprintf(lv, sizeof(lv), "%u\n", tst_profile->privlevel_floor);
		if (u_tsm_write(e, "privlevel", lv, (size_t)l, NULL) == 0)
			vmpl = tst_profile->privlevel_floor;
	}
	u_fill_pattern(rd, 64);
	write_inblob_or_fail(e, rd, 64);
	unsigned long g = gen_or_fail(e);
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_brk(TST_FAIL, "outblob read failed: %s", tst_errno_name((int)-n));
	judge_outblob(e, ob, (size_t)n, rd, vmpl);
	unsigned long g2 = gen_or_fail(e);
	if (g2 != g)
		tst_fail("reading outblob changed generation %lu -> %lu", g, g2);
	free(ob);
	u_tsm_rmentry(e);
}

static void t_outblob_cached(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *a = malloc(OUTCAP), *b = malloc(OUTCAP);
	if (!a || !b)
		tst_brk(TST_BROK, "malloc");
	mkentry_or_brk(e, sizeof(e));
	u_fill_pattern(rd, 64);
	write_inblob_or_fail(e, rd, 64);
	ssize_t na = u_tsm_read(e, "outblob", a, OUTCAP);
	if (na < 0)
		tst_brk(TST_FAIL, "outblob read failed: %s", tst_errno_name((int)-na));
	unsigned long g1 = gen_or_fail(e);
	ssize_t nb = u_tsm_read(e, "outblob", b, OUTCAP);
	if (nb < 0)
		tst_brk(TST_FAIL, "second outblob read failed: %s", tst_errno_name((int)-nb));
	unsigned long g2 = gen_or_fail(e);
	/* Evidence is signed with a randomised ECDSA nonce: a regenerated report differs. */
	if (na != nb || memcmp(a, b, (size_t)na) != 0)
		tst_fail("outblob changed between two reads with no attribute write in between (%zd vs %zd bytes): not cached",
			 na, nb);
	else
		tst_pass("outblob re-read is byte-identical (served from the cache)");
	TST_EXPECT(g1 == g2, "generation moved %lu -> %lu across outblob reads", g1, g2);
	/* After a new inblob the report must carry the new data. */
	uint8_t rd2[64];
	u_fill_pattern(rd2, 64);
	write_inblob_or_fail(e, rd2, 64);
	unsigned long g3 = gen_or_fail(e);
	TST_EXPECT(g3 == g2 + 1, "generation after a new inblob is %lu, want %lu", g3, g2 + 1);
	nb = u_tsm_read(e, "outblob", b, OUTCAP);
	if (nb < 0)
		tst_brk(TST_FAIL, "outblob read after a new inblob failed: %s", tst_errno_name((int)-nb));
	if (nb == na && memcmp(a, b, (size_t)na) == 0)
		tst_fail("outblob after a new inblob is the stale cached report");
	else
		tst_pass("a new inblob regenerates outblob");
	free(a);
	free(b);
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ open modes */
static void t_wrong_mode(void)
{
	char e[512], p[600];
	mkentry_or_brk(e, sizeof(e));
	static const struct { const char *attr; int flags; bool sev_only; } cases[] = {
		{ "inblob", O_RDONLY, false }, { "inblob", O_RDWR, false }, { "outblob", O_WRONLY, false },
		{ "outblob", O_RDWR, false }, { "provider", O_WRONLY, false }, { "generation", O_WRONLY, false },
		{ "privlevel", O_RDONLY, true }, { "privlevel_floor", O_WRONLY, true }, { "auxblob", O_WRONLY, true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].sev_only && !is_sev())
			continue;
		snprintf(p, sizeof(p), "%s/%s", e, cases[i].attr);
		errno = 0;
		int fd = open(p, cases[i].flags);
		int err = errno;
		const char *m = cases[i].flags == O_RDONLY ? "O_RDONLY" : cases[i].flags == O_WRONLY ? "O_WRONLY" : "O_RDWR";
		if (fd >= 0) {
			close(fd);
			tst_fail("open(%s, %s) succeeded, want EACCES", cases[i].attr, m);
		} else if (err != EACCES) {
			tst_fail("open(%s, %s) failed with %s, want EACCES", cases[i].attr, m, tst_errno_name(err));
		}
	}
	if (!tst_fail_count())
		tst_pass("wrong-mode opens -> EACCES%s", geteuid() == 0 ? " (as root)" : "");
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ rmdir, independence */
static bool listed(const char *name)
{
	DIR *d = opendir(TEEABI_TSM_REPORT_ROOT);
	if (!d)
		return false;
	struct dirent *de;
	bool found = false;
	while ((de = readdir(d)))
		if (!strcmp(de->d_name, name))
			found = true;
	closedir(d);
	return found;
}

static void t_rmdir(void)
{
	char e[512], p[600];
	uint8_t rd[64];
	mkentry_or_brk(e, sizeof(e));
	const char *name = strrchr(e, '/') + 1;
	if (!listed(name))
		tst_fail("new entry %s is not listed in the report directory", name);
	u_fill_pattern(rd, 64);
	write_inblob_or_fail(e, rd, 64);
	int rc = u_tsm_rmentry(e);
	if (rc)
		tst_brk(TST_FAIL, "rmdir of an entry with a committed inblob failed: %s", tst_errno_name(-rc));
	if (listed(name))
		tst_fail("entry %s is still listed after rmdir", name);
	struct stat st;
	if (stat(e, &st) == 0)
		tst_fail("stat of the removed entry succeeds");
	snprintf(p, sizeof(p), "%s/provider", e);
	int fd = open(p, O_RDONLY);
	if (fd >= 0) {
		close(fd);
		tst_fail("%s/provider still opens after rmdir", name);
	} else if (errno != ENOENT) {
		tst_fail("opening provider of a removed entry failed with %s, want ENOENT", tst_errno_name(errno));
	}
	if (!tst_fail_count())
		tst_pass("rmdir removes the entry and its attributes (ENOENT)");
}

static void t_independent(void)
{
	char a[512], b[512];
	uint8_t rda[64], rdb[64];
	uint8_t *oa = malloc(OUTCAP), *ob = malloc(OUTCAP);
	if (!oa || !ob)
		tst_brk(TST_BROK, "malloc");
	mkentry_or_brk(a, sizeof(a));
	mkentry_or_brk(b, sizeof(b));
	u_fill_pattern(rda, 64);
	u_fill_pattern(rdb, 64);
	write_inblob_or_fail(a, rda, 64);
	unsigned long gb = gen_or_fail(b);
	TST_EXPECT(gb == 0, "writing entry A's inblob moved entry B's generation to %lu", gb);
	write_inblob_or_fail(b, rdb, 64);
	write_inblob_or_fail(b, rdb, 64);
	unsigned long ga = gen_or_fail(a);
	gb = gen_or_fail(b);
	if (ga != 1 || gb != 2)
		tst_fail("generations A=%lu B=%lu after 1 and 2 writes, want 1 and 2", ga, gb);
	ssize_t na = u_tsm_read(a, "outblob", oa, OUTCAP);
	ssize_t nb = u_tsm_read(b, "outblob", ob, OUTCAP);
	if (na < 0 || nb < 0)
		tst_brk(TST_FAIL, "outblob reads failed: A %s, B %s", na < 0 ? tst_errno_name((int)-na) : "ok",
			nb < 0 ? tst_errno_name((int)-nb) : "ok");
	/* Report data location: quote body (v4 48+520) / SNP 0x50; let the parsers find it. */
	if (tst_profile->tsm_provider == TEEABI_TSM_TDX) {
		struct teeabi_tdx_quote qa, qb;
		if (teeabi_tdx_quote_parse(oa, (size_t)na, TEEABI_QUOTE_DEFAULT, &qa) != TEEABI_OK ||
		    teeabi_tdx_quote_parse(ob, (size_t)nb, TEEABI_QUOTE_DEFAULT, &qb) != TEEABI_OK) {
			tst_fail("an outblob is not a TDX quote");
		} else {
			if (memcmp(qa.td.report_data, rda, 64))
				tst_fail("entry A's quote does not carry A's inblob");
			if (memcmp(qb.td.report_data, rdb, 64))
				tst_fail("entry B's quote does not carry B's inblob");
		}
	} else {
		struct teeabi_snp_report ra, rb;
		if (teeabi_snp_report_parse(oa, (size_t)na, 0, &ra) != TEEABI_OK ||
		    teeabi_snp_report_parse(ob, (size_t)nb, 0, &rb) != TEEABI_OK) {
			tst_fail("an outblob is not an SNP report");
		} else {
			if (memcmp(ra.report_data, rda, 64))
				tst_fail("entry A's report does not carry A's inblob");
			if (memcmp(rb.report_data, rdb, 64))
				tst_fail("entry B's report does not carry B's inblob");
		}
	}
	if (!tst_fail_count())
		tst_pass("two entries keep their own generation and report data");
	free(oa);
	free(ob);
	u_tsm_rmentry(a);
	u_tsm_rmentry(b);
}

/* ------------------------------------------------------------------ privlevel (SEV) */
static const char *sev_provider(const struct teeabi_profile *p)
{
	return p->tsm_provider == TEEABI_TSM_SEV ? NULL : "provider is not sev_guest (privlevel is SEV-only)";
}

static void t_privlevel(void)
{
	char e[512], buf[32];
	mkentry_or_brk(e, sizeof(e));
	unsigned floor_ = tst_profile->privlevel_floor;
	ssize_t n = u_tsm_read(e, "privlevel_floor", buf, sizeof(buf) - 1);
	if (n < 0) {
		tst_fail("privlevel_floor unreadable: %s", tst_errno_name((int)-n));
	} else {
		buf[n] = 0;
		char want[16];
		snprintf(want, sizeof(want), "%u\n", floor_);
		if (strcmp(buf, want))
			tst_fail("privlevel_floor reads \"%.*s\", want \"%u\\n\" (%s)", (int)(n && buf[n - 1] == '\n' ? n - 1 : n),
				 buf, floor_, tst_profile->tsm_visibility_611 ? "6.11+: the running VMPL" : "0 before 6.11");
	}
	static const struct { const char *v; long level; } ok[] = {
		{ "3", 3 }, { "0x2", 2 }, { "02\n", 2 }, { "3\n", 3 }, { "0x3\n", 3 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (ok[i].level < (long)floor_)
			continue;
		unsigned long g0 = gen_or_fail(e);
		int rc = u_tsm_write(e, "privlevel", ok[i].v, strlen(ok[i].v), NULL);
		unsigned long g1 = gen_or_fail(e);
		if (rc)
			tst_fail("privlevel \"%s\" rejected with %s (kstrtouint base 0 accepts it)", ok[i].v, tst_errno_name(-rc));
		else if (g1 != g0 + 1)
			tst_fail("privlevel \"%s\" moved generation %lu -> %lu, want +1", ok[i].v, g0, g1);
	}
	static const char *bad[] = { "4", "0x4", "100", "-1", "abc", "4294967296" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long g0 = gen_or_fail(e);
		int werr = 0;
		int rc = u_tsm_write(e, "privlevel", bad[i], strlen(bad[i]), &werr);
		unsigned long g1 = gen_or_fail(e);
		if (rc == 0)
			tst_fail("privlevel \"%s\" accepted, want EINVAL (range %u..3)", bad[i], floor_);
		else if (werr != EINVAL && werr != ERANGE)
			tst_fail("privlevel \"%s\" failed with %s, want EINVAL or ERANGE", bad[i], tst_errno_name(-rc));
		if (g1 != g0)
			tst_fail("rejected privlevel \"%s\" moved generation %lu -> %lu", bad[i], g0, g1);
	}
	if (floor_ > 0) {
		char v[16];
		snprintf(v, sizeof(v), "%u", floor_ - 1);
		unsigned long g0 = gen_or_fail(e);
		int rc = u_tsm_write(e, "privlevel", v, strlen(v), NULL);
		unsigned long g1 = gen_or_fail(e);
		if (rc != -EINVAL)
			tst_fail("privlevel %s below the floor %u answered %s, want EINVAL", v, floor_,
				 rc ? tst_errno_name(-rc) : "success");
		if (g1 != g0)
			tst_fail("rejected privlevel below the floor moved generation");
	}
	if (!tst_fail_count())
		tst_pass("privlevel: base-0 parsing, range %u..3, EINVAL without a generation bump", floor_);
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ pre-created entry */
static const char *has_precreate(const struct teeabi_profile *p)
{
	return p->tsm_precreate[0] ? NULL : "image pre-creates no report entry";
}

static void t_precreate(void)
{
	char e[512], buf[64];
	snprintf(e, sizeof(e), "%s/%s", TEEABI_TSM_REPORT_ROOT, tst_profile->tsm_precreate);
	struct stat st;
	if (stat(e, &st) < 0 || !S_ISDIR(st.st_mode)) {
		tst_fail("pre-created entry %s is missing (%s)", tst_profile->tsm_precreate, tst_errno_name(errno));
		return;
	}
	/* Read-only checks: the entry belongs to the image's quote service. */
	ssize_t n = u_tsm_read(e, "provider", buf, sizeof(buf) - 1);
	if (n < 0) {
		tst_fail("%s/provider unreadable: %s", tst_profile->tsm_precreate, tst_errno_name((int)-n));
		return;
	}
	buf[n] = 0;
	char want[48];
	snprintf(want, sizeof(want), "%s\n", expected_provider());
	if (strcmp(buf, want))
		tst_fail("%s/provider reads \"%.*s\", want \"%s\\n\"", tst_profile->tsm_precreate, (int)(n && buf[n - 1] == '\n' ? n - 1 : n), buf, expected_provider());
	unsigned long g;
	if (u_tsm_generation(e, &g))
		tst_fail("%s/generation unreadable or malformed", tst_profile->tsm_precreate);
	else
		tst_info("%s: generation %lu", tst_profile->tsm_precreate, g);
	if (!tst_fail_count())
		tst_pass("pre-created entry %s present with provider %s", tst_profile->tsm_precreate, expected_provider());
}

static const struct tst_test tests[] = {
	{ .name = "tsm_report.entry.provider_generation", .fn = t_provider, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.attributes", .fn = t_attrs, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.inblob.commit_at_close", .fn = t_inblob_commit_at_close, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.inblob.efbig", .fn = t_inblob_efbig, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.outblob.einval_without_64_byte_inblob", .fn = t_outblob_before_inblob, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.outblob.evidence", .fn = t_outblob_evidence, .needs_tsm_provider = true, .needs_root = true, .timeout = 90 },
	{ .name = "tsm_report.outblob.cached", .fn = t_outblob_cached, .needs_tsm_provider = true, .needs_root = true, .timeout = 150 },
	{ .name = "tsm_report.open.wrong_mode", .fn = t_wrong_mode, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.rmdir", .fn = t_rmdir, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.independent", .fn = t_independent, .needs_tsm_provider = true, .needs_root = true, .timeout = 150 },
	{ .name = "tsm_report.privlevel.range", .fn = t_privlevel, .needs_tsm_provider = true, .needs_root = true, .needs_profile = sev_provider },
	{ .name = "tsm_report.entry.precreated", .fn = t_precreate, .needs_tsm_root = true, .needs_profile = has_precreate },
	{ 0 },
};

TST_SUITE("tsm_report", tests)
