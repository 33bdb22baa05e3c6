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
 *    by exactly 1 (same value included), and generation reads the decimal count past 9;
 *  - outblob before any inblob is EINVAL; an inblob that is not 64 bytes is EINVAL at read,
 *    also a 1-, 32- or 63-byte one after a 64-byte one (the length is the last write's);
 *  - outblob is cached until the next write (byte-identical re-read, generation unchanged);
 *    an fd whose first read filled its copy keeps serving that copy after a new inblob;
 *    whichever of outblob, auxblob, manifestblob is read first, each re-read gives the same
 *    bytes (every read order, plain and SVSM path);
 *  - outblob is a raw quote (TDX) / report (SNP) whose report data equals the inblob and
 *    whose signatures verify (auxblob's VCEK/VLEK for SNP, and SIGNER_INFO names the one that
 *    verifies); auxblob parses;
 *  - TDX: every field the quote copies from a TDREPORT, and its QE report's CPUSVN, equal a
 *    GET_REPORT0 TDREPORT with the same REPORTDATA taken just before and after it;
 *  - every readable attribute read at offsets (1, 4, 100, half, end-1, end, past the end)
 *    by the first read of a fresh fd gives the content from that offset;
 *  - genuineness (teeabi/genuine.h): the chain behind the outblob (TDX: its PCK chain; SNP:
 *    auxblob's VCEK/VLEK and ASK up to AMD's ARK) leads to a genuine vendor root and signs
 *    the evidence: PASS genuine, FAIL not genuine; SKIP "test PKI" (the mocks' roots) or
 *    not checkable, with the reason. The TAP diagnostic "# genuineness: <verdict> (<reason>)"
 *    is the run's genuineness line;
 *  - wrong-mode opens are EACCES (root included);
 *  - entry names of 19 .. 255 characters (NAME_MAX) are made, listed and removed; 256 is
 *    ENAMETOOLONG;
 *  - rmdir removes the entry and its files (ENOENT afterwards, also for the first read on an
 *    fd opened before), a re-created name is a fresh instance, entries are independent (each
 *    outblob carries its own inblob, at different and at equal generations, in either order);
 *  - a failed outblob read does not move generation;
 *  - privlevel: kstrtouint base 0 (one '+', one trailing newline, no other whitespace), range
 *    floor..3, EINVAL without a generation bump;
 *    privlevel_floor as the profile says (SNP only);
 *  - the pre-created entry (com.intel.dcap on dstack 0.6 TDX) is there with the provider and
 *    the provider's attribute set and modes (the same as a fresh entry's);
 *  - SVSM (6.11+, sev_guest, guest above VMPL0; SKIP elsewhere), kernel-abi.md §2.6, §3.2:
 *    service_provider bumps generation whatever the value, anything but "svsm" fails at
 *    outblob read with EINVAL; service_guid bumps even when malformed (EINVAL) and resets
 *    the GUID to null (every service) before parsing, text after the GUID is ignored; an
 *    unknown service fails the read with EINVAL; service_manifest_version bumps only when kstrtouint accepts it; the SVSM
 *    report: an SNP report at VMPL0 whose REPORT_DATA is SHA-512(inblob || manifestblob)
 *    (SVSM spec 58019 via coconut-svsm), manifestblob a services GUID table, signature
 *    checked against auxblob when the SVSM supplies certificates, all three cached for one
 *    generation, on the all-services path and for every service the manifest lists (single
 *    service, manifest version 0; its GUID also in upper and mixed case); service_manifest_version reaches the SVSM for a single
 *    service (0xffffffff: EINVAL) and not for all services; without service_provider the
 *    firmware path refuses the default privlevel 0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/genuine.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "../common/snp_pin.h"
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

static uint8_t *outbuf_or_brk(void)
{
	uint8_t *b = malloc(OUTCAP);
	if (!b)
		tst_brk(TST_BROK, "malloc");
	return b;
}

/* A new entry with a 64-byte pattern inblob (rd gets it). */
static void entry_with_inblob(char *e, size_t len, uint8_t rd[64])
{
	mkentry_or_brk(e, len);
	u_fill_pattern(rd, 64);
	write_inblob_or_fail(e, rd, 64);
}

/* Reading outblob of entry must fail with errno want; what names the situation, why (may be
 * "") says why in the FAIL reason. Returns true when it did. */
static bool outblob_fails_with(const char *entry, uint8_t *buf, int want, const char *what, const char *why)
{
	ssize_t n = u_tsm_read(entry, "outblob", buf, OUTCAP);
	if (n >= 0)
		tst_fail("outblob %s returned %zd bytes, want %s%s%s%s", what, n, tst_errno_name(want), *why ? " (" : "", why,
			 *why ? ")" : "");
	else if (n != -want)
		tst_fail("outblob %s failed with %s, want %s", what, tst_errno_name((int)-n), tst_errno_name(want));
	return n == -want;
}

static const char *expected_provider(void)
{
	return teeabi_tsm_provider_name(tst_profile->tsm_provider);
}

static bool is_sev(void) { return tst_profile->tsm_provider == TEEABI_TSM_SEV; }

/* SEV above VMPL0 (6.11+: floor = the running VMPL): the default privlevel 0 is refused by
 * the firmware, so tests that want a report ask for the floor first. Returns the number of
 * generation bumps it caused (0 or 1). */
static unsigned privlevel_to_floor(const char *entry)
{
	char lv[16];
	if (!is_sev() || tst_profile->privlevel_floor == 0)
		return 0;
	int l = snprintf(lv, sizeof(lv), "%u\n", tst_profile->privlevel_floor);
	int rc = u_tsm_write(entry, "privlevel", lv, (size_t)l, NULL);
	if (rc)
		tst_brk(TST_FAIL, "privlevel %u (the floor) rejected: %s", tst_profile->privlevel_floor, tst_errno_name(-rc));
	return 1;
}

/* A new entry at the privlevel floor with a 64-byte pattern inblob (rd gets it) and its
 * first outblob read into buf (OUTCAP bytes); returns the outblob's length. */
static ssize_t entry_first_report(char *e, size_t len, uint8_t rd[64], uint8_t *buf)
{
	mkentry_or_brk(e, len);
	privlevel_to_floor(e);
	u_fill_pattern(rd, 64);
	write_inblob_or_fail(e, rd, 64);
	ssize_t n = u_tsm_read(e, "outblob", buf, OUTCAP);
	if (n < 0)
		tst_brk(TST_FAIL, "outblob read failed: %s", tst_errno_name((int)-n));
	return n;
}

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

/* The attribute set and modes of entry e (a fresh one, or the image's pre-created one: the
 * set is the provider's, whoever made the entry); one FAIL per deviation, "what" names it. */
static void check_attr_set(const char *e, const char *what)
{
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
		if (tst_profile->tsm_svsm) {
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
			bool svsm_attr = !strncmp(de->d_name, "service_", 8) || !strcmp(de->d_name, "manifestblob");
			tst_fail("unexpected attribute \"%s\" for provider %s on kernel %s%s", de->d_name, expected_provider(),
				 tst_profile->kernel,
				 svsm_attr && is_sev() ? " (the SVSM attributes are shown only on 6.11+ above VMPL0, under an SVSM)" : "");
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
	tst_info("%s: attribute set checked", what);
}

static void t_attrs(void)
{
	char e[512];
	mkentry_or_brk(e, sizeof(e));
	check_attr_set(e, "a fresh entry");
	/* the directories: configfs makes the default group and every mkdir'd item
	 * S_IFDIR | S_IRWXU | S_IRUGO | S_IXUGO, 0755 owned by root (fs/configfs/dir.c
	 * configfs_mkdir(), configfs_create_dir(); 6.12 and 7.3; round 5, 200) */
	u_check_mode(TEEABI_TSM_REPORT_ROOT, S_IFDIR, 0755);
	u_check_mode(e, S_IFDIR, 0755);
	if (!tst_fail_count())
		tst_pass("attribute set and modes as documented for %s, the directories 0755", expected_provider());
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

/* The REPORTDATA of entry's outblob (a TDX quote's or an SNP report's) into rd; 0, or -1
 * with a FAIL naming what. */
static int outblob_reportdata(const char *entry, uint8_t *buf, uint8_t rd[64], const char *what)
{
	ssize_t n = u_tsm_read(entry, "outblob", buf, OUTCAP);
	if (n < 0) {
		tst_fail("outblob after %s: read failed: %s", what, tst_errno_name((int)-n));
		return -1;
	}
	const uint8_t *p = NULL;
	teeabi_err pe;
	if (tst_profile->tsm_provider == TEEABI_TSM_TDX) {
		struct teeabi_tdx_quote q;
		if ((pe = teeabi_tdx_quote_parse(buf, (size_t)n, 0, &q)) == TEEABI_OK)
			p = q.td.report_data;
	} else {
		struct teeabi_snp_report r;
		if ((pe = teeabi_snp_report_parse(buf, (size_t)n, 0, &r)) == TEEABI_OK)
			p = r.report_data;
	}
	if (!p) {
		tst_fail("outblob after %s (%zd bytes) does not parse: %s", what, n, teeabi_err_name(pe));
		return -1;
	}
	memcpy(rd, p, 64);
	return 0;
}

/* inblob is a binary attribute written through the file position (issue 17 rule 4):
 * configfs_bin_write_iter() (fs/configfs/file.c, 6.12 and 7.3) copies each write() at
 * iocb->ki_pos into one buffer per open file, zero-filling what it grows by, and
 * configfs_release_bin_file() hands the whole buffer to the attribute at close(). So a
 * 64-byte inblob written in several write() calls on one fd, or with pwrite() at explicit
 * offsets in any order (the file has no llseek, but pwrite is not refused), is the bytes as
 * assembled at their offsets, and the outblob's REPORTDATA is exactly those 64 bytes. The
 * expected value is assembled here from the chunks, as the kernel's buffer would be. */
static void t_inblob_assembled(void)
{
	static const struct { const char *name; int n; struct { unsigned off, len; bool pw; } c[3]; } v[] = {
		{ "write 32 + 32", 2, { { 0, 32, false }, { 32, 32, false } } },
		{ "write 1 + 63", 2, { { 0, 1, false }, { 1, 63, false } } },
		{ "write 63 + 1", 2, { { 0, 63, false }, { 63, 1, false } } },
		{ "write 16 + 16 + 32", 3, { { 0, 16, false }, { 16, 16, false }, { 32, 32, false } } },
		{ "pwrite 32 at 32, then 32 at 0", 2, { { 32, 32, true }, { 0, 32, true } } },
		{ "pwrite 32 at 32 alone (bytes 0..31 zero-filled)", 1, { { 32, 32, true } } },
		{ "write 64, then pwrite 16 at 16", 2, { { 0, 64, false }, { 16, 16, true } } },
	};
	char e[512], p[600];
	uint8_t *buf = outbuf_or_brk();
	mkentry_or_brk(e, sizeof(e));
	privlevel_to_floor(e);
	snprintf(p, sizeof(p), "%s/inblob", e);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t src[3][64], want[64] = { 0 }, got[64];
		int fd = open(p, O_WRONLY);
		if (fd < 0)
			tst_brk(TST_FAIL, "open inblob O_WRONLY: %s", tst_errno_name(errno));
		bool ok = true;
		for (int k = 0; k < v[i].n; k++) {
			unsigned off = v[i].c[k].off, len = v[i].c[k].len;
			u_fill_pattern(src[k], 64);
			for (unsigned b = 0; b < 64; b++)
				src[k][b] ^= (uint8_t)(0x11 * (k + 1) + 3 * i);
			memcpy(want + off, src[k] + off, len);
			errno = 0;
			ssize_t w = v[i].c[k].pw ? pwrite(fd, src[k] + off, len, off) : write(fd, src[k] + off, len);
			if (w != (ssize_t)len) {
				tst_fail("%s: chunk %d (%u bytes at %u) returned %zd (%s)", v[i].name, k + 1, len, off, w,
					 w < 0 ? tst_errno_name(errno) : "short");
				ok = false;
			}
		}
		close(fd);
		if (!ok || outblob_reportdata(e, buf, got, v[i].name))
			continue;
		if (memcmp(got, want, 64))
			tst_fail("%s: REPORTDATA %s, want the chunks at their offsets %s", v[i].name, tst_hex(got, 64), tst_hex(want, 64));
	}
	if (!tst_fail_count())
		tst_pass("inblob assembled at the file position of each write()/pwrite() (7 splits); REPORTDATA = the bytes as assembled");
	free(buf);
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
	uint8_t *buf = outbuf_or_brk();
	mkentry_or_brk(e, sizeof(e));
	if (outblob_fails_with(e, buf, EINVAL, "read before any inblob", ""))
		tst_pass("outblob before inblob -> EINVAL");
	/* only attribute writes count: a failed read leaves generation alone (kernel-abi.md §3.3) */
	unsigned long g = gen_or_fail(e);
	if (g != 0)
		tst_fail("generation is %lu after a failed outblob read on a fresh entry, want 0 (a read is not a write)", g);
	/* A short inblob is accepted at write time, rejected at generation time. */
	uint8_t rd[64];
	u_fill_pattern(rd, sizeof(rd));
	write_inblob_or_fail(e, rd, 32);
	if (outblob_fails_with(e, buf, EINVAL, "after a 32-byte inblob", "both providers need 64"))
		tst_pass("32-byte inblob -> EINVAL at outblob read");
	unsigned long g2 = gen_or_fail(e);
	if (g2 != g + 1)
		tst_fail("generation is %lu after one inblob write and a failed outblob read, want %lu (only the write counts)", g2,
			 g + 1);
	/* the stored length is the last write's: tsm_report_inblob_write() sets desc.inblob_len =
	 * count (drivers/virt/coco/guest/report.c), so a shorter inblob after a 64-byte one is
	 * refused again by the provider's length check (tdx_report_new(), sev_report_new()):
	 * every shorter size class, each after a 64-byte inblob that did give a report */
	static const size_t shorter[] = { 1, 32, 63 };
	privlevel_to_floor(e);
	for (size_t i = 0; i < sizeof(shorter) / sizeof(shorter[0]); i++) {
		rd[0] ^= 0x5a;
		write_inblob_or_fail(e, rd, 64);
		ssize_t n = u_tsm_read(e, "outblob", buf, OUTCAP);
		if (n < 0) {
			tst_fail("outblob after a 64-byte inblob failed: %s", tst_errno_name((int)-n));
			continue;
		}
		char what[96];
		snprintf(what, sizeof(what), "after a 64-byte inblob, then a %zu-byte one", shorter[i]);
		write_inblob_or_fail(e, rd, shorter[i]);
		if (!outblob_fails_with(e, buf, EINVAL, what, "the length is the last write's, not the longest"))
			break;
	}
	if (!tst_fail_count())
		tst_pass("a 1-, 32- or 63-byte inblob after a 64-byte one -> EINVAL again (the length is not kept)");
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
		/* the same guest as /dev/sev-guest's reports (issue 17 rule 1; round 4, 146) */
		u_snp_same_guest_as_dev("outblob", ob, n);
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
	uint8_t *ob = outbuf_or_brk();
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

/* The quote against the TDREPORT of the same TD (issue 17 rule 1): the TDX provider makes
 * the quote from a TDREPORT it takes with the inblob as REPORTDATA (tdx_report_new(),
 * drivers/virt/coco/tdx-guest/tdx-guest.c: tdx_mcall_get_report0() then the GetQuote of
 * that TDREPORT), so every field the quote copies equals a GET_REPORT0 TDREPORT with the
 * same REPORTDATA taken just before and just after (a field that moved in between is not
 * judged: u_judge_quote_vs_tdreport). */
static const char *tdx_provider(const struct teeabi_profile *p)
{
	return p->tsm_provider == TEEABI_TSM_TDX ? NULL : "provider is not tdx_guest";
}

static void t_outblob_vs_tdreport(void)
{
	char e[512];
	uint8_t rd[64], before[1024], after[1024];
	uint8_t *ob = outbuf_or_brk();
	entry_with_inblob(e, sizeof(e), rd);
	int rc = u_tdx_report(rd, before);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 before the quote failed: %s", tst_errno_name(-rc));
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_brk(TST_FAIL, "outblob read failed: %s", tst_errno_name((int)-n));
	rc = u_tdx_report(rd, after);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 after the quote failed: %s", tst_errno_name(-rc));
	struct teeabi_tdx_quote q;
	teeabi_err pe = teeabi_tdx_quote_parse(ob, (size_t)n, TEEABI_QUOTE_DEFAULT, &q);
	if (pe != TEEABI_OK)
		tst_fail("outblob (%zd bytes) is not a TDX quote: %s", n, teeabi_err_name(pe));
	else
		u_judge_quote_vs_tdreport("outblob", &q, before, after);
	free(ob);
	u_tsm_rmentry(e);
}

/* The genuineness line of the run: the outblob's chain (auxblob on SNP) to a vendor root */
static void t_outblob_genuine(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *ob = outbuf_or_brk(), *aux = outbuf_or_brk();
	struct teeabi_genuineness g;
	ssize_t n = entry_first_report(e, sizeof(e), rd, ob);
	ssize_t an = is_sev() ? u_tsm_read(e, "auxblob", aux, OUTCAP) : 0;

	if (an < 0 && an != -ENOENT)
		tst_brk(TST_FAIL, "auxblob read failed: %s", tst_errno_name((int)-an));
	teeabi_evidence_genuine(ob, (size_t)n, an > 0 ? aux : NULL, an > 0 ? (size_t)an : 0, NULL, 0, &g);
	u_report_genuineness(&g);
	free(ob);
	free(aux);
	u_tsm_rmentry(e);
}

static void t_outblob_cached(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *a = outbuf_or_brk(), *b = outbuf_or_brk();
	ssize_t na = entry_first_report(e, sizeof(e), rd, a);
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

/* The first read() of a binary attribute fills a private copy; later reads on that fd are
 * served from it even after a new inblob (kernel-abi.md §3.2 "File-level semantics"): an fd
 * that read the first 64 bytes of report A still returns the rest of A after inblob B. */
static void t_outblob_per_fd_copy(void)
{
	char e[512], p[600];
	uint8_t rd[64];
	uint8_t *a = outbuf_or_brk(), *b = outbuf_or_brk(), *fresh = outbuf_or_brk();
	ssize_t na = entry_first_report(e, sizeof(e), rd, a);
	if (na <= 64)
		tst_brk(TST_FAIL, "outblob is only %zd bytes", na);
	snprintf(p, sizeof(p), "%s/outblob", e);
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open outblob O_RDONLY: %s", tst_errno_name(errno));
	ssize_t nb = read(fd, b, 64);
	if (nb != 64) {
		close(fd);
		tst_brk(TST_FAIL, "a 64-byte read of outblob returned %zd (%s)", nb, nb < 0 ? tst_errno_name(errno) : "short");
	}
	u_fill_pattern(rd, 64);
	write_inblob_or_fail(e, rd, 64);
	for (;;) {
		if (nb >= OUTCAP)
			break;
		ssize_t r = read(fd, b + nb, (size_t)(OUTCAP - nb));
		if (r < 0) {
			tst_fail("reading the rest of outblob after a new inblob failed: %s (the fd's copy was already filled)",
				 tst_errno_name(errno));
			break;
		}
		if (r == 0)
			break;
		nb += r;
	}
	close(fd);
	if (nb != na || memcmp(a, b, (size_t)na))
		tst_fail("an outblob fd that read 64 bytes before a new inblob returned %zd bytes that are not the first report (%zd "
			 "bytes): later reads must come from the fd's copy", nb, na);
	ssize_t nf = u_tsm_read(e, "outblob", fresh, OUTCAP);
	if (nf < 0)
		tst_fail("outblob read after the new inblob failed: %s", tst_errno_name((int)-nf));
	else if (nf == na && !memcmp(fresh, a, (size_t)na))
		tst_fail("a new fd after the new inblob still gets the first report (stale cache)");
	if (!tst_fail_count())
		tst_pass("an outblob fd keeps serving its own copy after a new inblob; a new fd gets the new report");
	free(a);
	free(b);
	free(fresh);
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ reads at an offset */
/* pread from off until EOF into buf (cap bytes); returns the bytes read or -errno. */
static ssize_t pread_to_eof(int fd, uint8_t *buf, size_t cap, off_t off)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t r = pread(fd, buf + got, cap - got, off + (off_t)got);
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* One attribute read at offsets: whole is its content (wlen bytes, one read from 0). A fresh
 * fd's first read at off must give whole[off..) (nothing at or past the end) and leave the
 * buffer behind what it returned alone, and a read at 0 on the same fd afterwards the whole
 * content (the copy its first read filled). */
static void check_offsets(const char *entry, const char *attr, const uint8_t *whole, size_t wlen, uint8_t *buf)
{
	char p[600];
	const off_t offs[] = { 1, 4, 100, (off_t)wlen / 2, (off_t)wlen - 1, (off_t)wlen, (off_t)wlen + 100 };
	snprintf(p, sizeof(p), "%s/%s", entry, attr);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		off_t off = offs[i];
		if (off < 0)
			continue;
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			tst_fail("open(%s, O_RDONLY): %s", attr, tst_errno_name(errno));
			return;
		}
		size_t want = (size_t)off < wlen ? wlen - (size_t)off : 0;
		/* a canary behind the content: the read writes want bytes and nothing after them */
		size_t span = want + 64 < OUTCAP ? want + 64 : OUTCAP;
		memset(buf, 0xA5, span);
		ssize_t n = pread_to_eof(fd, buf, OUTCAP, off);
		if (n >= 0 && (size_t)n <= want)
			for (size_t k = (size_t)n; k < span; k++)
				if (buf[k] != 0xA5) {
					tst_fail("%s: a read at offset %lld returned %zd bytes but wrote the buffer at %zu", attr,
						 (long long)off, n, k);
					break;
				}
		if (n < 0)
			tst_fail("%s: the first read of a fresh fd at offset %lld failed with %s, want %zu bytes", attr,
				 (long long)off, tst_errno_name((int)-n), want);
		else if ((size_t)n != want || memcmp(buf, whole + (want ? off : 0), want))
			tst_fail("%s: the first read of a fresh fd at offset %lld returned %zd bytes (%s), want bytes [%lld, %zu) of "
				 "the content (%s)", attr, (long long)off, n, tst_hex(buf, n > 0 ? (size_t)n : 0), (long long)off,
				 wlen, tst_hex(whole + (want ? off : 0), want));
		n = pread_to_eof(fd, buf, OUTCAP, 0);
		if (n != (ssize_t)wlen || memcmp(buf, whole, wlen))
			tst_fail("%s: after a first read at offset %lld, a read at 0 on the same fd returned %s, want the %zu bytes "
				 "of the content", attr, (long long)off, n < 0 ? tst_errno_name((int)-n) : "other bytes", wlen);
		close(fd);
	}
}

/* configfs serves every read from the fd's copy at the file position, the first read
 * included (issue 17 rules 2 and 3): configfs_read_iter() fills the text attribute's page
 * then copies from buffer->page + ki_pos, configfs_bin_read_iter() fills the binary copy
 * then copies from bin_buffer + pos (fs/configfs/file.c, 6.7-7.x). Every readable attribute
 * of an entry with a report (outblob, provider, generation; SEV: auxblob, privlevel_floor;
 * SVSM: manifestblob) is read whole, then at offsets 1, 4, 100, half, end-1, end, past the
 * end on fresh fds. */
static void t_read_offsets(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *whole = outbuf_or_brk(), *buf = outbuf_or_brk();
	entry_first_report(e, sizeof(e), rd, buf);
	const char *attrs[8];
	int na = 0;
	attrs[na++] = "outblob";
	attrs[na++] = "provider";
	attrs[na++] = "generation";
	if (is_sev()) {
		attrs[na++] = "auxblob";
		attrs[na++] = "privlevel_floor";
		if (tst_profile->tsm_svsm)
			attrs[na++] = "manifestblob";
	}
	unsigned long g = gen_or_fail(e);
	for (int i = 0; i < na; i++) {
		ssize_t n = u_tsm_read(e, attrs[i], whole, OUTCAP);
		if (n < 0) {
			tst_fail("%s unreadable: %s", attrs[i], tst_errno_name((int)-n));
			continue;
		}
		check_offsets(e, attrs[i], whole, (size_t)n, buf);
	}
	unsigned long g2 = gen_or_fail(e);
	if (g2 != g)
		tst_fail("reads at offsets moved generation %lu -> %lu", g, g2);
	if (!tst_fail_count())
		tst_pass("%d attributes: a fresh fd's first read at each offset returns the content from that offset", na);
	free(whole);
	free(buf);
	u_tsm_rmentry(e);
}

/* ------------------------------------------------------------------ open modes */
static void t_wrong_mode(void)
{
	char e[512], p[600];
	mkentry_or_brk(e, sizeof(e));
	static const struct { const char *attr; int flags; bool sev_only, svsm_only; } cases[] = {
		{ "inblob", O_RDONLY, false, false }, { "inblob", O_RDWR, false, false }, { "outblob", O_WRONLY, false, false },
		{ "outblob", O_RDWR, false, false }, { "provider", O_WRONLY, false, false }, { "generation", O_WRONLY, false, false },
		{ "privlevel", O_RDONLY, true, false }, { "privlevel_floor", O_WRONLY, true, false }, { "auxblob", O_WRONLY, true, false },
		{ "service_provider", O_RDONLY, true, true }, { "service_guid", O_RDWR, true, true },
		{ "service_manifest_version", O_RDONLY, true, true }, { "manifestblob", O_WRONLY, true, true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if ((cases[i].sev_only && !is_sev()) || (cases[i].svsm_only && !tst_profile->tsm_svsm))
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
/* The entries of the report root: how many (-1 when it cannot be listed), and whether name
 * (may be NULL) is one of them. */
static int root_entries(const char *name, bool *found)
{
	DIR *d = opendir(TEEABI_TSM_REPORT_ROOT);
	if (found)
		*found = false;
	if (!d)
		return -1;
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		if (name && found && !strcmp(de->d_name, name))
			*found = true;
	}
	closedir(d);
	return n;
}

static bool listed(const char *name)
{
	bool found;
	return root_entries(name, &found) >= 0 && found;
}

/* Entry names up to NAME_MAX (255): tsm_report_make_item() (drivers/virt/coco/guest/report.c)
 * takes any name configfs_mkdir() hands it, and config_item_set_name() (fs/configfs/item.c)
 * allocates a name that does not fit the inline ci_namebuf (CONFIGFS_ITEM_NAME_LEN, 20); the
 * VFS refuses a component longer than NAME_MAX with ENAMETOOLONG. Each length class: at the
 * inline buffer's edge (19, 20, 21), a UUID (36), 64, NAME_MAX; then NAME_MAX + 1. */
static void t_name_lengths(void)
{
	static const size_t lens[] = { 19, 20, 21, 36, 64, 255, 256 };
	char e[600], p[700], base[64];
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t L = lens[i];
		tst_unique_name(base, sizeof(base));
		size_t bl = strlen(base);
		if (bl > L)
			tst_brk(TST_BROK, "unique name %s is longer than %zu", base, L);
		char name[260];
		memcpy(name, base, bl);
		memset(name + bl, 'n', L - bl);
		name[L] = 0;
		snprintf(e, sizeof(e), "%s/%s", TEEABI_TSM_REPORT_ROOT, name);
		tst_cleanup_rmdir(e); /* before the mkdir, as u_tsm_mkentry: a kill between the two leaves nothing */
		errno = 0;
		int rc = mkdir(e, 0755) < 0 ? errno : 0;
		if (L > 255) {
			if (rc != ENAMETOOLONG)
				tst_fail("mkdir of a %zu-character entry name %s, want ENAMETOOLONG (longer than NAME_MAX)", L,
					 rc ? tst_errno_name(rc) : "succeeded");
			if (!rc)
				u_tsm_rmentry(e);
			continue;
		}
		if (rc) {
			tst_fail("mkdir of a %zu-character entry name failed: %s, want success (names up to NAME_MAX, 255)", L,
				 tst_errno_name(rc));
			continue;
		}
		if (!listed(name))
			tst_fail("the %zu-character entry is not listed under its full name in the report directory", L);
		snprintf(p, sizeof(p), "%s/generation", e);
		struct stat st;
		if (stat(p, &st))
			tst_fail("the %zu-character entry has no generation attribute: %s", L, tst_errno_name(errno));
		rc = u_tsm_rmentry(e);
		if (rc)
			tst_fail("rmdir of the %zu-character entry failed: %s", L, tst_errno_name(-rc));
	}
	if (!tst_fail_count())
		tst_pass("entry names of 19, 20, 21, 36, 64 and 255 characters make, list and remove; 256 -> ENAMETOOLONG");
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

/* After rmdir, an fd opened before it gets ENOENT from its first read; an fd whose first
 * read already filled its private copy keeps serving that copy (kernel-abi.md §3.2,
 * "File-level semantics"). */
static void t_rmdir_open_fd(void)
{
	char e[512], p[600], buf[64], first[64];
	mkentry_or_brk(e, sizeof(e));
	snprintf(p, sizeof(p), "%s/provider", e);
	int unread = open(p, O_RDONLY);
	int filled = open(p, O_RDONLY);
	if (unread < 0 || filled < 0)
		tst_brk(TST_FAIL, "open provider O_RDONLY: %s", tst_errno_name(errno));
	ssize_t n0 = read(filled, first, sizeof(first));
	if (n0 <= 0)
		tst_brk(TST_FAIL, "reading provider failed: %s", n0 < 0 ? tst_errno_name(errno) : "empty");
	int rc = u_tsm_rmentry(e);
	if (rc)
		tst_brk(TST_FAIL, "rmdir of an entry with open attribute files failed: %s", tst_errno_name(-rc));
	errno = 0;
	ssize_t n = read(unread, buf, sizeof(buf));
	int err = errno;
	if (n >= 0)
		tst_fail("first read of provider on an fd opened before rmdir returned %zd bytes, want ENOENT (the entry is gone)", n);
	else if (err != ENOENT)
		tst_fail("first read of provider on an fd opened before rmdir failed with %s, want ENOENT", tst_errno_name(err));
	char again[64];
	errno = 0;
	n = pread(filled, again, sizeof(again), 0);
	err = errno;
	if (n != n0 || memcmp(again, first, (size_t)n0) != 0)
		tst_fail("re-reading an fd whose copy was filled before rmdir gave %s, want the same %zd bytes (its copy)",
			 n < 0 ? tst_errno_name(err) : "other data", n0);
	close(unread);
	close(filled);
	if (!tst_fail_count())
		tst_pass("after rmdir: an unread fd gets ENOENT, a filled fd keeps its copy");
}

/* A removed entry is gone with its state: mkdir of the same name makes a new instance whose
 * generation starts at 0 and which has no inblob (outblob EINVAL) (kernel-abi.md §3.1,
 * §3.2 "generation ... starts at 0 per instance", §3.3). */
static void t_recreate_fresh(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *ob = outbuf_or_brk();
	entry_with_inblob(e, sizeof(e), rd);
	unsigned long g = gen_or_fail(e);
	if (g != 1)
		tst_fail("generation after one inblob write is %lu, want 1", g);
	int rc = u_tsm_rmentry(e);
	if (rc)
		tst_brk(TST_FAIL, "rmdir failed: %s", tst_errno_name(-rc));
	if (mkdir(e, 0755) < 0)
		tst_brk(TST_FAIL, "mkdir of the removed name again failed: %s", tst_errno_name(errno));
	g = gen_or_fail(e);
	if (g != 0)
		tst_fail("a re-created entry of the same name starts at generation %lu, want 0 (a new instance)", g);
	outblob_fails_with(e, ob, EINVAL, "of a re-created entry", "no inblob written to the new instance");
	if (!tst_fail_count())
		tst_pass("rmdir + mkdir of the same name gives a fresh instance (generation 0, no inblob)");
	free(ob);
	u_tsm_rmentry(e);
}

/* The outblob of an entry carries the entry's own inblob (REPORTDATA of the TDX quote body or of
 * the SNP report, found by the parsers). Returns the number of FAILs. */
static int outblob_carries(const char *what, const uint8_t *ob, ssize_t n, const uint8_t rd[64])
{
	if (n < 0) {
		tst_fail("%s: outblob read failed: %s", what, tst_errno_name((int)-n));
		return 1;
	}
	const uint8_t *got = NULL;
	struct teeabi_tdx_quote q;
	struct teeabi_snp_report r;
	if (tst_profile->tsm_provider == TEEABI_TSM_TDX) {
		if (teeabi_tdx_quote_parse(ob, (size_t)n, TEEABI_QUOTE_DEFAULT, &q) == TEEABI_OK)
			got = q.td.report_data;
	} else if (teeabi_snp_report_parse(ob, (size_t)n, 0, &r) == TEEABI_OK) {
		got = r.report_data;
	}
	if (!got) {
		tst_fail("%s: the outblob (%zd bytes) is not a %s", what, n,
			 tst_profile->tsm_provider == TEEABI_TSM_TDX ? "TDX quote" : "SNP report");
		return 1;
	}
	if (memcmp(got, rd, 64)) {
		tst_fail("%s: the outblob's report data %s is not the entry's inblob %s", what, tst_hex(got, 64), tst_hex(rd, 64));
		return 1;
	}
	return 0;
}

/* Two entries at the SAME generation (issue 17 rule 2, blind audit 172): the report cache is
 * per entry (struct tsm_report_state of each item, tsm_report_read() / read_cached_report(),
 * drivers/virt/coco/tsm.c 6.7-6.x, guest/report.c 7.x: the cached blob is the item's own,
 * keyed by that item's write_generation). One inblob each, read A then B, then B then A after a
 * new inblob each: every outblob carries its own entry's inblob, and a re-read of A after B's
 * report still gives A's bytes. */
static void same_generation_pair(const char *a, const char *b, uint8_t *oa, uint8_t *ob)
{
	uint8_t rda[64], rdb[64];
	for (int round = 0; round < 2; round++) {
		u_fill_pattern(rda, 64);
		u_fill_pattern(rdb, 64);
		write_inblob_or_fail(a, rda, 64);
		write_inblob_or_fail(b, rdb, 64);
		unsigned long ga = gen_or_fail(a), gb = gen_or_fail(b);
		if (ga != gb) {
			tst_fail("two entries with the same writes are at generations %lu and %lu", ga, gb);
			return;
		}
		const char *first = round ? b : a, *second = round ? a : b;
		const uint8_t *rf = round ? rdb : rda, *rs = round ? rda : rdb;
		char what[96];
		ssize_t nf = u_tsm_read(first, "outblob", oa, OUTCAP);
		snprintf(what, sizeof(what), "generation %lu, %s entry read first", ga, round ? "B" : "A");
		outblob_carries(what, oa, nf, rf);
		ssize_t ns = u_tsm_read(second, "outblob", ob, OUTCAP);
		snprintf(what, sizeof(what), "generation %lu, %s entry read after the other's report", ga, round ? "A" : "B");
		outblob_carries(what, ob, ns, rs);
		ssize_t nf2 = u_tsm_read(first, "outblob", ob, OUTCAP);
		if (nf2 != nf || (nf > 0 && memcmp(oa, ob, (size_t)nf)))
			tst_fail("generation %lu: the first entry's outblob changed after the other entry's report (%zd -> %zd bytes)",
				 ga, nf, nf2);
	}
}

static void t_independent(void)
{
	char a[512], b[512];
	uint8_t rda[64], rdb[64];
	uint8_t *oa = outbuf_or_brk(), *ob = outbuf_or_brk();
	mkentry_or_brk(a, sizeof(a));
	mkentry_or_brk(b, sizeof(b));
	unsigned ba = privlevel_to_floor(a), bb = privlevel_to_floor(b);
	u_fill_pattern(rda, 64);
	u_fill_pattern(rdb, 64);
	write_inblob_or_fail(a, rda, 64);
	unsigned long gb = gen_or_fail(b);
	TST_EXPECT(gb == bb, "writing entry A's inblob moved entry B's generation to %lu", gb);
	write_inblob_or_fail(b, rdb, 64);
	write_inblob_or_fail(b, rdb, 64);
	unsigned long ga = gen_or_fail(a);
	gb = gen_or_fail(b);
	if (ga != 1 + ba || gb != 2 + bb)
		tst_fail("generations A=%lu B=%lu after %u and %u writes, want %u and %u", ga, gb, 1 + ba, 2 + bb, 1 + ba, 2 + bb);
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
	/* the same pair again, now at equal generations */
	write_inblob_or_fail(a, rda, 64);
	if (gen_or_fail(a) == gen_or_fail(b))
		same_generation_pair(a, b, oa, ob);
	else
		tst_fail("entries A and B are not at the same generation after one more write to A");
	if (!tst_fail_count())
		tst_pass("two entries keep their own generation and report data, at different and at equal generations, in "
			 "either read order");
	free(oa);
	free(ob);
	u_tsm_rmentry(a);
	u_tsm_rmentry(b);
}

/* generation is printed "%lu\n" (generation_show(): sysfs_emit(buf, "%zu\n", ...), tsm.c
 * 6.7-6.x, guest/report.c 7.x) and counts every committed write: a format check needs values
 * whose text differs between the plausible formats (issue 17 rule 4, blind audit 170: hex and
 * decimal agree up to 9), so 20 writes, the generation read after each (parsed strictly by
 * u_tsm_generation) and compared with the count. */
static void t_generation_counts(void)
{
	char e[512];
	uint8_t rd[64];
	mkentry_or_brk(e, sizeof(e));
	unsigned long want = privlevel_to_floor(e);
	for (int i = 0; i < 20; i++) {
		u_fill_pattern(rd, 64);
		write_inblob_or_fail(e, rd, 64);
		want++;
		unsigned long g = gen_or_fail(e);
		if (g != want) {
			tst_fail("generation after %lu committed writes reads %lu", want, g);
			break;
		}
	}
	if (!tst_fail_count())
		tst_pass("generation reads the decimal count of committed writes up to %lu", want);
	u_tsm_rmentry(e);
}

/* Every read order of the blobs of one generation (issue 17 rule 2, blind audit 173): the first
 * read of any of outblob, auxblob, manifestblob generates the report for all of them
 * (tsm_report_read() -> read_cached_report() / the provider's report_new() fills outblob,
 * auxblob and manifestblob together, tsm.c 6.7-6.x, guest/report.c 7.x), so whichever is read
 * first, a re-read of each afterwards gives the same bytes (or the same errno), and the
 * outblob carries the inblob. Every permutation of the entry's readable blobs, one fresh entry
 * each, generation read between the reads. */
static void t_read_orders(void)
{
	static const char *const all[] = { "outblob", "auxblob", "manifestblob" };
	static const unsigned perm[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	const char *blob[3];
	unsigned nb = 0, orders = 0;
	char e[512], p[600];
	uint8_t rd[64];
	/* which blobs this provider's entries have, and whether they have the SVSM path (where
	 * service_provider "svsm" fills manifestblob) */
	mkentry_or_brk(e, sizeof(e));
	for (unsigned i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", e, all[i]);
		if (tst_exists(p))
			blob[nb++] = all[i];
	}
	snprintf(p, sizeof(p), "%s/service_provider", e);
	bool svsm = tst_exists(p);
	u_tsm_rmentry(e);
	if (nb == 0 || strcmp(blob[0], "outblob"))
		tst_brk(TST_FAIL, "a fresh entry has no outblob");
	uint8_t *first[3], *again = outbuf_or_brk();
	for (unsigned i = 0; i < 3; i++)
		first[i] = outbuf_or_brk();
	for (unsigned run = 0; run < (svsm ? 12u : 6u); run++) {
		unsigned o = run % 6;
		bool via_svsm = run >= 6, other = false;
		for (unsigned k = nb; k < 3; k++) /* fewer than 3 blobs: the permutations fixing the absent ones */
			if (perm[o][k] != k)
				other = true;
		if (other)
			continue;
		orders++;
		mkentry_or_brk(e, sizeof(e));
		privlevel_to_floor(e);
		if (via_svsm) {
			int rc = u_tsm_write(e, "service_provider", "svsm", 4, NULL);
			if (rc)
				tst_brk(TST_FAIL, "service_provider \"svsm\" refused: %s", tst_errno_name(-rc));
		}
		u_fill_pattern(rd, 64);
		write_inblob_or_fail(e, rd, 64);
		unsigned long g0 = gen_or_fail(e);
		ssize_t n[3];
		char order[96], sizes[96] = "";
		snprintf(order, sizeof(order), "%s", via_svsm ? "(svsm) " : "");
		for (unsigned k = 0; k < nb; k++) {
			unsigned b = perm[o][k];
			n[b] = u_tsm_read(e, blob[b], first[b], OUTCAP);
			snprintf(order + strlen(order), sizeof(order) - strlen(order), "%s%s", k ? "," : "", blob[b]);
			if (gen_or_fail(e) != g0)
				tst_fail("order %s: reading %s moved generation", order, blob[b]);
		}
		for (unsigned b = 0; b < nb; b++) {
			ssize_t m = u_tsm_read(e, blob[b], again, OUTCAP);
			if (m != n[b] || (m > 0 && memcmp(first[b], again, (size_t)m)))
				tst_fail("read order %s: %s read first gave %zd bytes %s (%s), a re-read %zd bytes %s (%s), same generation "
					 "%lu", order, blob[b], n[b], n[b] > 0 ? tst_hex(first[b], (size_t)n[b]) : "",
					 n[b] < 0 ? tst_errno_name((int)-n[b]) : "ok", m, m > 0 ? tst_hex(again, (size_t)m) : "",
					 m < 0 ? tst_errno_name((int)-m) : "ok", g0);
			snprintf(sizes + strlen(sizes), sizeof(sizes) - strlen(sizes), " %s %zd", blob[b], n[b]);
		}
		tst_info("read order %s:%s", order, sizes);
		char what[120];
		snprintf(what, sizeof(what), "read order %s", order);
		if (!via_svsm) /* the SVSM report's data is SHA-512(inblob || manifest), judged by svsm.* */
			outblob_carries(what, first[0], n[0], rd);
		u_tsm_rmentry(e);
	}
	if (!tst_fail_count())
		tst_pass("%u read orders of %u blobs%s: each blob the same bytes whatever was read first", orders, nb,
			 svsm ? " (plain and SVSM path)" : "");
	for (unsigned i = 0; i < 3; i++)
		free(first[i]);
	free(again);
}

/* ------------------------------------------------------------------ privlevel (SEV) */
static const char *sev_provider(const struct teeabi_profile *p)
{
	return p->tsm_provider == TEEABI_TSM_SEV ? NULL : "provider is not sev_guest (privlevel is SEV-only)";
}

/* s with newlines shown as \n, for messages (two buffers: two calls per message at most) */
static const char *escaped(const char *s)
{
	static char buf[2][64];
	static int which;
	char *o = buf[which ^= 1];
	size_t k = 0;
	for (; *s && k < sizeof(buf[0]) - 3; s++) {
		if (*s == '\n') { o[k++] = '\\'; o[k++] = 'n'; }
		else o[k++] = *s;
	}
	o[k] = 0;
	return o;
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
		{ "3", 3 }, { "0x2", 2 }, { "02\n", 2 }, { "3\n", 3 }, { "0x3\n", 3 }, { "+3", 3 }, { "+0x3\n", 3 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (ok[i].level < (long)floor_)
			continue;
		unsigned long g0 = gen_or_fail(e);
		int rc = u_tsm_write(e, "privlevel", ok[i].v, strlen(ok[i].v), NULL);
		unsigned long g1 = gen_or_fail(e);
		if (rc)
			tst_fail("privlevel \"%s\" rejected with %s (kstrtouint base 0 accepts it)", escaped(ok[i].v), tst_errno_name(-rc));
		else if (g1 != g0 + 1)
			tst_fail("privlevel \"%s\" moved generation %lu -> %lu, want +1", escaped(ok[i].v), g0, g1);
	}
	/* kstrtouint: one optional '+', digits, at most one trailing newline; nothing else */
	static const char *bad[] = { "4", "0x4", "100", "-1", "abc", "4294967296", " 3", "3 ", "3\n\n", "\n", "0x", "++3" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long g0 = gen_or_fail(e);
		int werr = 0;
		int rc = u_tsm_write(e, "privlevel", bad[i], strlen(bad[i]), &werr);
		unsigned long g1 = gen_or_fail(e);
		if (rc == 0)
			tst_fail("privlevel \"%s\" accepted, want EINVAL (range %u..3, kstrtouint base 0)", escaped(bad[i]), floor_);
		else if (werr != EINVAL && werr != ERANGE)
			tst_fail("privlevel \"%s\" failed with %s, want EINVAL or ERANGE", escaped(bad[i]), tst_errno_name(-rc));
		if (g1 != g0)
			tst_fail("rejected privlevel \"%s\" moved generation %lu -> %lu", escaped(bad[i]), g0, g1);
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

/* ------------------------------------------------------------------ SVSM (6.11+, above VMPL0) */
static const char *has_svsm(const struct teeabi_profile *p)
{
	if (p->tsm_provider != TEEABI_TSM_SEV)
		return "provider is not sev_guest (the SVSM attributes are SEV-only)";
	if (!p->tsm_visibility_611)
		return "kernel before 6.11: no SVSM attributes";
	return p->tsm_svsm ? NULL : "guest runs at VMPL0 (no SVSM): the SVSM attributes are hidden";
}

/* A GUID no SVSM offers (any SVSM refuses it: the read is EINVAL). */
#define UNKNOWN_SERVICE_GUID "0badc0de-1111-4222-8333-944455556666\n"

static void write_text_or_fail(const char *entry, const char *attr, const char *v)
{
	int rc = u_tsm_write(entry, attr, v, strlen(v), NULL);
	if (rc)
		tst_brk(TST_FAIL, "writing \"%.40s\" to %s failed: %s", v, attr, tst_errno_name(-rc));
}

static void sha512_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	if (!c || EVP_DigestInit_ex(c, EVP_sha512(), NULL) <= 0 || EVP_DigestUpdate(c, a, alen) <= 0 ||
	    EVP_DigestUpdate(c, b, blen) <= 0 || EVP_DigestFinal_ex(c, out, &n) <= 0 || n != 64)
		tst_brk(TST_BROK, "EVP_Digest(SHA-512) failed");
	EVP_MD_CTX_free(c);
}

/* An SVSM entry (service_provider = svsm, a fresh 64-byte inblob); rd gets the inblob. */
static void svsm_entry(char *e, size_t len, uint8_t rd[64])
{
	entry_with_inblob(e, len, rd);
	write_text_or_fail(e, "service_provider", "svsm\n");
}

static void t_svsm_service_provider(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *ob = outbuf_or_brk();
	entry_with_inblob(e, sizeof(e), rd);
	unsigned long g0 = gen_or_fail(e);
	/* accepted and counted at write time whatever it says; refused when a report is made */
	int werr = 0;
	int rc = u_tsm_write(e, "service_provider", "teeabi-none\n", 12, &werr);
	unsigned long g1 = gen_or_fail(e);
	if (rc)
		tst_fail("service_provider \"teeabi-none\" rejected at write with %s: the kernel stores any string and checks it "
			 "only when the report is made", tst_errno_name(-rc));
	else if (g1 != g0 + 1)
		tst_fail("service_provider \"teeabi-none\" moved generation %lu -> %lu, want +1 (bumped even for an invalid value)",
			 g0, g1);
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (!rc) {
		if (n >= 0)
			tst_fail("outblob with service_provider \"teeabi-none\" returned %zd bytes, want EINVAL (only svsm is valid)", n);
		else if (n != -EINVAL)
			tst_fail("outblob with service_provider \"teeabi-none\" failed with %s, want EINVAL", tst_errno_name((int)-n));
		unsigned long g2 = gen_or_fail(e);
		if (g2 != g1)
			tst_fail("a failed outblob read moved generation %lu -> %lu", g1, g2);
	}
	/* "svsm" with its trailing newline stripped is the SVSM */
	g0 = gen_or_fail(e);
	write_text_or_fail(e, "service_provider", "svsm\n");
	g1 = gen_or_fail(e);
	if (g1 != g0 + 1)
		tst_fail("service_provider \"svsm\\n\" moved generation %lu -> %lu, want +1", g0, g1);
	n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_fail("outblob with service_provider \"svsm\\n\" failed: %s (one trailing newline is stripped)",
			 tst_errno_name((int)-n));
	if (!tst_fail_count())
		tst_pass("service_provider: any value counted at write, only \"svsm\" accepted at generation (EINVAL otherwise)");
	free(ob);
	u_tsm_rmentry(e);
}

static void t_svsm_service_guid(void)
{
	char e[512];
	uint8_t rd[64], hdr[16];
	uint8_t *ob = outbuf_or_brk();
	svsm_entry(e, sizeof(e), rd);
	/* a service the SVSM does not offer: EINVAL at read */
	write_text_or_fail(e, "service_guid", UNKNOWN_SERVICE_GUID);
	outblob_fails_with(e, ob, EINVAL, "for an unknown service GUID", "SVSM failure");
	/* a malformed GUID: EINVAL, yet generation +1 and the GUID is null (every service) */
	unsigned long g0 = gen_or_fail(e);
	int werr = 0;
	int rc = u_tsm_write(e, "service_guid", "not-a-guid\n", 11, &werr);
	unsigned long g1 = gen_or_fail(e);
	if (rc == 0)
		tst_fail("service_guid \"not-a-guid\" accepted, want EINVAL (guid_parse)");
	else if (werr != EINVAL)
		tst_fail("service_guid \"not-a-guid\" failed with %s, want EINVAL", tst_errno_name(-rc));
	if (g1 != g0 + 1)
		tst_fail("a malformed service_guid moved generation %lu -> %lu, want +1 (the store bumps before it parses)", g0, g1);
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n == -EINVAL)
		tst_fail("outblob after a malformed service_guid is EINVAL: the previous (unknown) GUID was kept, want it reset "
			 "to null (every service) before parsing");
	else if (n < 0)
		tst_fail("outblob after a malformed service_guid failed with %s, want the all-services report", tst_errno_name((int)-n));
	else {
		n = u_tsm_read(e, "manifestblob", ob, OUTCAP);
		teeabi_guid_parse_le(TEEABI_SVSM_SERVICES_MANIFEST_GUID, hdr);
		if (n < 16 || memcmp(ob, hdr, 16))
			tst_fail("manifestblob after a malformed service_guid (%zd bytes) is not the services manifest (%s header)", n,
				 TEEABI_SVSM_SERVICES_MANIFEST_GUID);
	}
	if (!tst_fail_count())
		tst_pass("service_guid: unknown service -> EINVAL at read; malformed -> EINVAL, generation +1, GUID reset to null");
	free(ob);
	u_tsm_rmentry(e);
}

/* guid_parse reads the first 36 characters; trailing text is ignored (kernel-abi.md §3.2
 * service_guid). A GUID followed by other text is accepted, counted, and used: the unknown
 * service makes the read fail with EINVAL (not the all-services report of a null GUID). */
static void t_svsm_service_guid_trailing(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *ob = outbuf_or_brk();
	svsm_entry(e, sizeof(e), rd);
	static const char v[] = "0badc0de-1111-4222-8333-944455556666 trailing text\n";
	unsigned long g0 = gen_or_fail(e);
	int werr = 0;
	int rc = u_tsm_write(e, "service_guid", v, strlen(v), &werr);
	unsigned long g1 = gen_or_fail(e);
	if (rc)
		tst_fail("service_guid with text after the GUID rejected with %s: guid_parse ignores trailing text", tst_errno_name(-rc));
	if (g1 != g0 + 1)
		tst_fail("service_guid with trailing text moved generation %lu -> %lu, want +1", g0, g1);
	outblob_fails_with(e, ob, EINVAL, "after service_guid \"<unknown GUID> trailing text\"",
			   "the GUID is used: an unknown service");
	if (!tst_fail_count())
		tst_pass("service_guid: text after the 36-character GUID ignored, the GUID itself applied");
	free(ob);
	u_tsm_rmentry(e);
}

static void t_svsm_manifest_version(void)
{
	char e[512];
	mkentry_or_brk(e, sizeof(e));
	static const char *ok[] = { "0", "0x0", "00\n", "2\n" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned long g0 = gen_or_fail(e);
		int rc = u_tsm_write(e, "service_manifest_version", ok[i], strlen(ok[i]), NULL);
		unsigned long g1 = gen_or_fail(e);
		if (rc)
			tst_fail("service_manifest_version \"%s\" rejected with %s (kstrtouint base 0 accepts it)", ok[i],
				 tst_errno_name(-rc));
		else if (g1 != g0 + 1)
			tst_fail("service_manifest_version \"%s\" moved generation %lu -> %lu, want +1", ok[i], g0, g1);
	}
	static const char *bad[] = { "abc", "-1", "0x", "08", "4294967296", " 1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long g0 = gen_or_fail(e);
		int werr = 0;
		int rc = u_tsm_write(e, "service_manifest_version", bad[i], strlen(bad[i]), &werr);
		unsigned long g1 = gen_or_fail(e);
		if (rc == 0)
			tst_fail("service_manifest_version \"%s\" accepted, want EINVAL or ERANGE", bad[i]);
		else if (werr != EINVAL && werr != ERANGE)
			tst_fail("service_manifest_version \"%s\" failed with %s, want EINVAL or ERANGE", bad[i], tst_errno_name(-rc));
		if (g1 != g0)
			tst_fail("rejected service_manifest_version \"%s\" moved generation %lu -> %lu (parsed before the bump)", bad[i],
				 g0, g1);
	}
	if (!tst_fail_count())
		tst_pass("service_manifest_version: kstrtouint base 0, +1 per accepted write, no bump on a parse error");
	u_tsm_rmentry(e);
}

/* The all-services manifest (coconut-svsm attest.rs): a 24-byte header {services-manifest
 * GUID, u32 total length, u32 entry count}, 24-byte entries {GUID, u32 offset, u32 length}
 * whose data lies inside the manifest. Returns the number of FAILs. */
static int judge_services_manifest(const uint8_t *m, size_t n)
{
	uint8_t hdr[16];
	teeabi_guid_parse_le(TEEABI_SVSM_SERVICES_MANIFEST_GUID, hdr);
	if (n < TEEABI_SVSM_GUID_ENTRY_LEN || memcmp(m, hdr, 16)) {
		tst_fail("manifestblob (%zu bytes) does not start with the services manifest GUID %s", n,
			 TEEABI_SVSM_SERVICES_MANIFEST_GUID);
		return 1;
	}
	uint32_t total = teeabi_le32(m + 16), count = teeabi_le32(m + 20);
	if (total != n) {
		tst_fail("services manifest says %u bytes, manifestblob has %zu", total, n);
		return 1;
	}
	if ((uint64_t)(count + 1ULL) * TEEABI_SVSM_GUID_ENTRY_LEN > n) {
		tst_fail("services manifest lists %u services, more than its %zu bytes hold", count, n);
		return 1;
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *ent = m + (i + 1) * TEEABI_SVSM_GUID_ENTRY_LEN;
		uint64_t off = teeabi_le32(ent + 16), len = teeabi_le32(ent + 20);
		if (off < (uint64_t)(count + 1) * TEEABI_SVSM_GUID_ENTRY_LEN || off + len > n) {
			tst_fail("services manifest entry %u: data [%llu, +%llu) outside the manifest (%zu bytes)", i,
				 (unsigned long long)off, (unsigned long long)len, n);
			return 1;
		}
	}
	tst_info("services manifest: %u service(s), %zu bytes", count, n);
	return 0;
}

/* The three blobs of the SVSM report at entry e's current settings (rd its inblob), what
 * naming the service path in messages: outblob an SNP report at VMPL0 whose REPORT_DATA is
 * SHA-512(inblob || manifestblob) (issue 17 rule 1: the relation holds on every service
 * path), its signature checked against auxblob when the SVSM supplies certificates, all
 * three byte-identical on a re-read and generation unmoved. man (OUTCAP) gets manifestblob;
 * returns its length, or -1 when a blob could not be read (FAIL reported). */
static ssize_t judge_svsm_blobs(const char *e, const uint8_t rd[64], const char *what, uint8_t *man)
{
	uint8_t want[64];
	uint8_t *ob = outbuf_or_brk(), *aux = outbuf_or_brk(), *again = outbuf_or_brk();
	ssize_t ret = -1;
	unsigned long g = gen_or_fail(e);
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	ssize_t mn = n < 0 ? n : u_tsm_read(e, "manifestblob", man, OUTCAP);
	ssize_t an = n < 0 ? n : u_tsm_read(e, "auxblob", aux, OUTCAP);
	if (n < 0 || mn < 0) {
		tst_fail("%s: %s read failed: %s", what, n < 0 ? "outblob" : "manifestblob", tst_errno_name((int)-(n < 0 ? n : mn)));
		goto out;
	}
	if (an < 0) {
		tst_fail("%s: auxblob read failed: %s", what, tst_errno_name((int)-an));
		an = 0;
	}
	if (n != TEEABI_SNP_REPORT_LEN)
		tst_fail("%s: outblob is %zd bytes, want %d (an SNP ATTESTATION_REPORT)", what, n, TEEABI_SNP_REPORT_LEN);
	/* REPORT_DATA = SHA-512(nonce || manifest), the report made at VMPL0 */
	sha512_2(rd, 64, man, (size_t)mn, want);
	if (n >= SNP_OFF_REPORT_DATA + 64 && !memcmp(ob + SNP_OFF_REPORT_DATA, rd, 64))
		tst_fail("%s: REPORT_DATA is the inblob itself, want SHA-512(inblob || manifestblob): the manifest is not bound", what);
	if (an == 0)
		tst_info("%s: auxblob is empty (the SVSM supplied no certificates, as coconut-svsm does): signature not checked", what);
	u_judge_snp_report(what, ob, (size_t)n, want, 0, an > 0 ? aux : NULL, (size_t)an);
	/* the SVSM's report is this guest's: its lifetime fields are /dev/sev-guest's (round 4, 146) */
	u_snp_same_guest_as_dev(what, ob, (size_t)n);
	/* one generation, one report: re-reads are byte-identical */
	ssize_t n2 = u_tsm_read(e, "outblob", again, OUTCAP);
	if (n2 != n || memcmp(again, ob, (size_t)n))
		tst_fail("%s: outblob changed between two reads with no write in between (not cached)", what);
	n2 = u_tsm_read(e, "manifestblob", again, OUTCAP);
	if (n2 != mn || memcmp(again, man, (size_t)mn))
		tst_fail("%s: manifestblob changed between two reads with no write in between", what);
	unsigned long g2 = gen_or_fail(e);
	if (g2 != g)
		tst_fail("%s: reading the SVSM blobs moved generation %lu -> %lu", what, g, g2);
	tst_save_evidence("tsm-svsm-outblob.report", ob, (size_t)n);
	ret = mn;
out:
	free(ob);
	free(aux);
	free(again);
	return ret;
}

static void t_svsm_report(void)
{
	char e[512];
	uint8_t rd[64];
	uint8_t *man = outbuf_or_brk();
	svsm_entry(e, sizeof(e), rd);
	ssize_t mn = judge_svsm_blobs(e, rd, "SVSM all-services report", man);
	if (mn >= 0)
		judge_services_manifest(man, (size_t)mn);
	if (!tst_fail_count())
		tst_pass("SVSM report at VMPL0 over SHA-512(inblob || manifestblob), services manifest, cached for the generation");
	free(man);
	u_tsm_rmentry(e);
}

/* guid_t bytes (the first three fields little-endian) as the text guid_parse() reads */
static void guid_text(const uint8_t g[16], char out[40])
{
	snprintf(out, 40, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\n", teeabi_le32(g), (unsigned)(g[4] | g[5] << 8),
		 (unsigned)(g[6] | g[7] << 8), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* Entry e asks for the single service g (guid_t bytes); gt gets the GUID's text. */
static void svsm_single_service(const char *e, const uint8_t g[16], char gt[40])
{
	guid_text(g, gt);
	write_text_or_fail(e, "service_guid", gt);
}

/* service_guid is parsed by guid_parse() (tsm_report_service_guid_store(),
 * drivers/virt/coco/guest/report.c; lib/uuid.c __uuid_parse() -> hex_to_bin(), which takes
 * [0-9a-fA-F]): the GUID gt (lower case) written in upper and in mixed case must name the
 * same service, whose manifestblob is man (len bytes). */
static void svsm_guid_any_case(const char *e, const char gt[40], const uint8_t *man, size_t len)
{
	uint8_t *m2 = outbuf_or_brk(), *ob = outbuf_or_brk();
	for (int v = 0; v < 2; v++) {
		char c[40];
		snprintf(c, sizeof(c), "%s", gt);
		for (size_t i = 0; c[i]; i++)
			if ((!v || i % 2) && c[i] >= 'a' && c[i] <= 'f')
				c[i] = (char)(c[i] - 'a' + 'A');
		const char *how = v ? "mixed case" : "upper case";
		int werr = 0;
		int rc = u_tsm_write(e, "service_guid", c, strlen(c), &werr);
		if (rc) {
			tst_fail("service_guid %.36s (%s) refused: %s, want it taken (guid_parse() takes either case)", c, how,
				 tst_errno_name(-rc));
			continue;
		}
		ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
		ssize_t mn = n < 0 ? n : u_tsm_read(e, "manifestblob", m2, OUTCAP);
		if (n < 0 || mn < 0)
			tst_fail("service_guid %.36s (%s): %s read failed: %s, want the report of the service %.36s", c, how,
				 n < 0 ? "outblob" : "manifestblob", tst_errno_name((int)-(n < 0 ? n : mn)), gt);
		else if ((size_t)mn != len || memcmp(m2, man, len))
			tst_fail("service_guid %.36s (%s): manifestblob (%zd bytes) differs from the one of %.36s (%zu bytes)", c, how,
				 mn, gt, len);
	}
	free(m2);
	free(ob);
}

/* Rule 1 (issue 17) between the two SVSM calls: a service SVSM_ATTEST_SINGLE_SERVICE attests
 * is one SVSM_ATTEST_SERVICES lists in its services manifest (SVSM spec 58019, "Services
 * Manifest": one GUID table entry per service the SVSM provides). The vTPM's GUID is the one
 * known ahead, so: when a single-service report for it succeeds, the manifest man (its
 * count entries) must list it. The entry e goes back to the null GUID (all services) and its
 * report is read again, so the caller finds the state it left. */
static void svsm_vtpm_listed(const char *e, const uint8_t *man, uint32_t count)
{
	uint8_t g[16], *ob = outbuf_or_brk();
	teeabi_guid_parse_le(TEEABI_SVSM_VTPM_GUID, g);
	bool listed = false;
	for (uint32_t i = 0; i < count; i++)
		listed |= !memcmp(man + (i + 1) * TEEABI_SVSM_GUID_ENTRY_LEN, g, 16);
	write_text_or_fail(e, "service_guid", TEEABI_SVSM_VTPM_GUID "\n");
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n >= 0 && !listed)
		tst_fail("the SVSM attests the vTPM service alone (%s: a %zd-byte report), but its services manifest "
			 "(%u entries) does not list it", TEEABI_SVSM_VTPM_GUID, n, count);
	else if (n < 0)
		tst_info("a single-service report for the vTPM (%s) failed: %s (%s)", TEEABI_SVSM_VTPM_GUID,
			 tst_errno_name((int)-n), listed ? "listed: judged by each_service_binds_manifest" : "not listed either");
	write_text_or_fail(e, "service_guid", "00000000-0000-0000-0000-000000000000\n");
	n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_fail("the all-services report after a vTPM single-service one: outblob failed with %s", tst_errno_name((int)-n));
	free(ob);
}

/* The services the SVSM lists in its all-services manifest (entry e with service_provider svsm
 * and a null GUID): their guid_t bytes into guids (at most max), the manifest into man (OUTCAP
 * bytes, its length or -errno into *man_len); returns the count (0 with a SKIP reported), or
 * -1 when the manifest is unusable (FAIL reported). */
static int svsm_services(const char *e, uint8_t (*guids)[16], int max, uint8_t *man, ssize_t *man_len)
{
	ssize_t mn = u_tsm_read(e, "manifestblob", man, OUTCAP);
	*man_len = mn;
	int count = -1;
	if (mn < 0)
		tst_fail("all-services report: %s", tst_errno_name((int)-mn));
	else if (!judge_services_manifest(man, (size_t)mn)) {
		uint32_t c = teeabi_le32(man + 20);
		svsm_vtpm_listed(e, man, c);
		count = c < (uint32_t)max ? (int)c : max;
		for (int i = 0; i < count; i++)
			memcpy(guids[i], man + (i + 1) * TEEABI_SVSM_GUID_ENTRY_LEN, 16);
		if (!count)
			tst_skip("the SVSM lists no service in its services manifest: no single-service path to check");
	}
	return count;
}

/* SVSM_ATTEST_SINGLE_SERVICE for every service the SVSM lists (issue 17 rules 1 and 4):
 * each single-service report binds the manifest it comes with, REPORT_DATA =
 * SHA-512(inblob || manifestblob) (SVSM spec 58019 via coconut-svsm attest.rs; the kernel
 * passes service_guid and service_manifest_version for a non-null GUID,
 * sev_svsm_report_new(), drivers/virt/coco/sev-guest/sev-guest.c 6.11-7.x). */
static void t_svsm_each_service(void)
{
	char e[512], gt[40], what[96];
	uint8_t rd[64], guids[16][16];
	uint8_t *man = outbuf_or_brk(), *all = outbuf_or_brk();
	ssize_t alen;
	svsm_entry(e, sizeof(e), rd);
	write_text_or_fail(e, "service_manifest_version", "0\n");
	int ns = svsm_services(e, guids, 16, all, &alen);
	if (ns <= 0)
		goto out;
	/* from here on only service_guid changes: each write must invalidate the cached report
	 * (rule 2), the first one the all-services report just read */
	for (int i = 0; i < ns; i++) {
		svsm_single_service(e, guids[i], gt);
		snprintf(what, sizeof(what), "SVSM single-service report (%.36s, manifest version 0)", gt);
		ssize_t mn = judge_svsm_blobs(e, rd, what, man);
		if (mn == alen && !memcmp(man, all, (size_t)mn))
			tst_fail("%s: manifestblob is still the all-services manifest after service_guid was written (the "
				 "cached report was served)", what);
		if (mn > 0)
			svsm_guid_any_case(e, gt, man, (size_t)mn);
	}
	if (!tst_fail_count())
		tst_pass("%d single-service report(s): each at VMPL0 over SHA-512(inblob || its own manifestblob); its GUID "
			 "in upper and mixed case names the same service", ns);
out:
	free(man);
	free(all);
	u_tsm_rmentry(e);
}

/* service_manifest_version reaches the SVSM for a single service and only there (issue 17
 * rule 4): sev_svsm_report_new() (drivers/virt/coco/sev-guest/sev-guest.c 6.11-7.x) sets
 * ac.service_manifest_ver only for SVSM_ATTEST_SINGLE_SERVICE (a non-null service_guid) and
 * maps every SVSM refusal to -EINVAL. Version 0xffffffff is one no SVSM offers: a single
 * service at that version fails the read with EINVAL; version 0 then gives a report again
 * (errors are not cached); the all-services call (null GUID) takes no version and succeeds
 * at 0xffffffff. */
static void t_svsm_manifest_version_used(void)
{
	char e[512], gt[40];
	uint8_t rd[64], guids[1][16];
	uint8_t *ob = outbuf_or_brk();
	ssize_t alen;
	svsm_entry(e, sizeof(e), rd);
	int ns = svsm_services(e, guids, 1, ob, &alen);
	if (ns <= 0)
		goto out;
	svsm_single_service(e, guids[0], gt);
	write_text_or_fail(e, "service_manifest_version", "0\n");
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_fail("single service %.36s at manifest version 0: outblob failed with %s", gt, tst_errno_name((int)-n));
	write_text_or_fail(e, "service_manifest_version", "4294967295\n");
	outblob_fails_with(e, ob, EINVAL, "for a single service at manifest version 0xffffffff",
			   "no SVSM offers that version: the version is passed to SVSM_ATTEST_SINGLE_SERVICE");
	write_text_or_fail(e, "service_manifest_version", "0\n");
	n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_fail("single service back at manifest version 0: outblob failed with %s (the refusal was cached?)",
			 tst_errno_name((int)-n));
	write_text_or_fail(e, "service_manifest_version", "4294967295\n");
	write_text_or_fail(e, "service_guid", "00000000-0000-0000-0000-000000000000\n");
	n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_fail("all services (null GUID) with service_manifest_version 0xffffffff: outblob failed with %s, want a "
			 "report (SVSM_ATTEST_SERVICES takes no version)", tst_errno_name((int)-n));
	if (!tst_fail_count())
		tst_pass("service_manifest_version reaches SVSM_ATTEST_SINGLE_SERVICE (0xffffffff refused, 0 accepted) and not "
			 "SVSM_ATTEST_SERVICES");
out:
	free(ob);
	u_tsm_rmentry(e);
}

static void t_svsm_default_privlevel(void)
{
	char e[512];
	uint8_t rd[64], buf[64];
	uint8_t *ob = outbuf_or_brk();
	entry_with_inblob(e, sizeof(e), rd);
	/* no service_provider: the firmware path at privlevel 0, below the guest's VMPL */
	ssize_t n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n >= 0)
		tst_fail("outblob at the default privlevel 0 from VMPL%u returned %zd bytes, want EINVAL (firmware status 0x16)",
			 tst_profile->sev_vmpl, n);
	else if (n != -EINVAL)
		tst_fail("outblob at the default privlevel 0 from VMPL%u failed with %s, want EINVAL", tst_profile->sev_vmpl,
			 tst_errno_name((int)-n));
	char lv[16];
	snprintf(lv, sizeof(lv), "%u\n", tst_profile->privlevel_floor);
	write_text_or_fail(e, "privlevel", lv);
	n = u_tsm_read(e, "outblob", ob, OUTCAP);
	if (n < 0)
		tst_fail("outblob at privlevel %u (the floor) failed: %s", tst_profile->privlevel_floor, tst_errno_name((int)-n));
	else {
		struct teeabi_snp_report r;
		if (teeabi_snp_report_parse(ob, (size_t)n, 0, &r) != TEEABI_OK)
			tst_fail("outblob at privlevel %u is not an SNP report", tst_profile->privlevel_floor);
		else if (r.vmpl != tst_profile->privlevel_floor || memcmp(r.report_data, rd, 64))
			tst_fail("firmware-path report: vmpl %u (want %u), REPORT_DATA %s the inblob", r.vmpl,
				 tst_profile->privlevel_floor, memcmp(r.report_data, rd, 64) ? "is not" : "is");
		ssize_t mn = u_tsm_read(e, "manifestblob", buf, sizeof(buf));
		if (mn != 0)
			tst_fail("manifestblob of a firmware-path report: %s, want 0 bytes",
				 mn < 0 ? tst_errno_name((int)-mn) : "data");
	}
	if (!tst_fail_count())
		tst_pass("without service_provider: privlevel 0 refused (EINVAL), the floor gives a firmware report, no manifest");
	free(ob);
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
	check_attr_set(e, tst_profile->tsm_precreate);
	unsigned long g;
	if (u_tsm_generation(e, &g))
		tst_fail("%s/generation unreadable or malformed", tst_profile->tsm_precreate);
	else
		tst_info("%s: generation %lu", tst_profile->tsm_precreate, g);
	if (!tst_fail_count())
		tst_pass("pre-created entry %s present with provider %s and the provider's attribute set", tst_profile->tsm_precreate,
			 expected_provider());
}

/* configfs-tsm core without a provider (CONFIG_TSM_REPORTS built in, the tdx-guest or
 * sev-guest driver not loaded or failed to probe): the report directory is there, and every
 * mkdir fails with ENXIO before an item exists (tsm_report_make_item(),
 * drivers/virt/coco/tsm.c 6.7-6.x, guest/report.c 7.x: "if (!provider.ops) return
 * ERR_PTR(-ENXIO)"), so no entry ever appears. */
static const char *no_provider_shape(const struct teeabi_profile *p)
{
	return p->configfs_tsm && p->tsm_provider == TEEABI_TSM_NONE ? NULL : "a provider is registered in this profile";
}

static void t_no_provider(void)
{
	int before = root_entries(NULL, NULL);
	if (before < 0)
		tst_brk(TST_FAIL, "%s cannot be listed: %s", TEEABI_TSM_REPORT_ROOT, tst_errno_name(errno));
	char e[512];
	for (int i = 0; i < 2; i++) {
		int rc = u_tsm_mkentry(e, sizeof(e));
		if (rc == 0) {
			tst_fail("mkdir %s succeeded with no provider registered, want ENXIO", e);
			return;
		}
		if (rc != -ENXIO) {
			tst_fail("mkdir %s failed with %s, want ENXIO (no provider registered)", e, tst_errno_name(-rc));
			return;
		}
		if (tst_exists(e)) {
			tst_fail("mkdir %s failed with ENXIO but the entry exists", e);
			return;
		}
	}
	int after = root_entries(NULL, NULL);
	if (after != before)
		tst_fail("%s held %d entries before two refused mkdirs and %d after", TEEABI_TSM_REPORT_ROOT, before, after);
	else
		tst_pass("no provider: mkdir is ENXIO (twice), no entry appears (%d entries before and after)", before);
}

static const struct tst_test tests[] = {
	{ .name = "tsm_report.entry.provider_generation", .fn = t_provider, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.attributes", .fn = t_attrs, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.inblob.commit_at_close", .fn = t_inblob_commit_at_close, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.inblob.efbig", .fn = t_inblob_efbig, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.inblob.assembled_at_offsets", .fn = t_inblob_assembled, .needs_tsm_provider = true, .needs_root = true,
	  .timeout = 90 },
	{ .name = "tsm_report.outblob.einval_without_64_byte_inblob", .fn = t_outblob_before_inblob, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.outblob.evidence", .fn = t_outblob_evidence, .needs_tsm_provider = true, .needs_root = true, .timeout = 90 },
	{ .name = "tsm_report.outblob.quote_matches_tdreport", .fn = t_outblob_vs_tdreport, .needs_tsm_provider = true, .needs_root = true,
	  .needs_dev2 = TEEABI_DEV_TDX_GUEST, .needs_profile = tdx_provider, .timeout = 90 },
	{ .name = "tsm_report.outblob.genuine", .fn = t_outblob_genuine, .needs_tsm_provider = true, .needs_root = true, .timeout = 90 },
	{ .name = "tsm_report.outblob.cached", .fn = t_outblob_cached, .needs_tsm_provider = true, .needs_root = true, .timeout = 150 },
	{ .name = "tsm_report.outblob.per_fd_copy", .fn = t_outblob_per_fd_copy, .needs_tsm_provider = true, .needs_root = true, .timeout = 150 },
	{ .name = "tsm_report.read.fresh_fd_at_offset", .fn = t_read_offsets, .needs_tsm_provider = true, .needs_root = true, .timeout = 90 },
	{ .name = "tsm_report.open.wrong_mode", .fn = t_wrong_mode, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.name_lengths", .fn = t_name_lengths, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.rmdir", .fn = t_rmdir, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.rmdir_open_fd", .fn = t_rmdir_open_fd, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.recreate_fresh", .fn = t_recreate_fresh, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.entry.independent", .fn = t_independent, .needs_tsm_provider = true, .needs_root = true, .timeout = 150 },
	{ .name = "tsm_report.entry.generation_counts", .fn = t_generation_counts, .needs_tsm_provider = true, .needs_root = true },
	{ .name = "tsm_report.read.every_order", .fn = t_read_orders, .needs_tsm_provider = true, .needs_root = true, .timeout = 150 },
	{ .name = "tsm_report.privlevel.range", .fn = t_privlevel, .needs_tsm_provider = true, .needs_root = true, .needs_profile = sev_provider },
	{ .name = "tsm_report.root.no_provider", .fn = t_no_provider, .needs_tsm_root = true, .needs_root = true,
	  .needs_profile = no_provider_shape },
	{ .name = "tsm_report.entry.precreated", .fn = t_precreate, .needs_tsm_root = true, .needs_profile = has_precreate },
	{ .name = "tsm_report.svsm.service_provider_checked_at_read", .fn = t_svsm_service_provider, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90 },
	{ .name = "tsm_report.svsm.service_guid_reset_before_parse", .fn = t_svsm_service_guid, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90 },
	{ .name = "tsm_report.svsm.service_guid_trailing_text", .fn = t_svsm_service_guid_trailing, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90 },
	{ .name = "tsm_report.svsm.manifest_version_parsed_before_bump", .fn = t_svsm_manifest_version, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm },
	{ .name = "tsm_report.svsm.report_binds_manifest", .fn = t_svsm_report, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90 },
	{ .name = "tsm_report.svsm.each_service_binds_manifest", .fn = t_svsm_each_service, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90 },
	{ .name = "tsm_report.svsm.manifest_version_reaches_svsm", .fn = t_svsm_manifest_version_used, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90 },
	{ .name = "tsm_report.svsm.firmware_path_default_privlevel", .fn = t_svsm_default_privlevel, .needs_tsm_provider = true, .needs_root = true, .needs_profile = has_svsm, .timeout = 90,
	  .destructive = true }, /* the firmware answers status 0x16, as sev_guest.report.bad_vmpl_in_band */
	{ 0 },
};

TST_SUITE("tsm_report", tests)
