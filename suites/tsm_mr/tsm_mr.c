/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/tsm_mr - TDX measurement registers in sysfs (tsm-mr, Linux 6.16+;
 * docs/kernel-abi.md §1.4, Documentation/ABI/testing/sysfs-devices-virtual-misc-tdx_guest).
 *
 * Verified:
 *  - the file set is exactly mrtd:sha384, mrconfigid, mrowner, mrownerconfig,
 *    rtmr0:sha384 .. rtmr3:sha384; RTMRs 0644, the others 0444; each is 48 bytes
 *    (st_size and read), a read at offset >= 48 returns 0;
 *  - the access mode is decided at open(), for root too: a file without a write bit
 *    (the four MRs) opened O_WRONLY or O_RDWR is EACCES and gives no fd; an RTMR opens
 *    O_RDWR (sysfs roots carry KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK, fs/sysfs/mount.c
 *    sysfs_init(), so kernfs_fop_open() in fs/kernfs/file.c checks the mode bits where
 *    the VFS lets root through with CAP_DAC_OVERRIDE);
 *  - the values equal the TDREPORT fields (GET_REPORT0) at the same moment;
 *  - (destructive) a write that is not exactly 48 bytes at offset 0 is EINVAL and changes
 *    nothing; a 48-byte write extends: the next read and the next TDREPORT show
 *    SHA-384(old || data), and the TDREPORT hashes still verify; sysfs clamping: a write at
 *    offset 48 is EFBIG, a 49-byte write is cut to 48 and extends; each of rtmr0..rtmr3
 *    extends its own RTMR and no other (no index policy); after an extend the first read at
 *    any offset 0..47 shows the new value's bytes from there.
 * RTMR writes are irreversible until reboot, so every write test is destructive (a broken
 * kernel could extend on a wrong-size write too).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/tdx.h"
#include "../common/tst.h"
#include "../common/util.h"

#define MRDIR TEEABI_TDX_MEASUREMENTS_DIR

static const struct { const char *name; unsigned mode; unsigned off; } MRS[] = {
	{ "mrtd:sha384", 0444, TDREPORT_OFF_MRTD },
	{ "mrconfigid", 0444, TDREPORT_OFF_MRCONFIGID },
	{ "mrowner", 0444, TDREPORT_OFF_MROWNER },
	{ "mrownerconfig", 0444, TDREPORT_OFF_MROWNERCONFIG },
	{ "rtmr0:sha384", 0644, TDREPORT_OFF_RTMR0 },
	{ "rtmr1:sha384", 0644, TDREPORT_OFF_RTMR0 + 48 },
	{ "rtmr2:sha384", 0644, TDREPORT_OFF_RTMR0 + 96 },
	{ "rtmr3:sha384", 0644, TDREPORT_OFF_RTMR0 + 144 },
};
#define NMR (sizeof(MRS) / sizeof(MRS[0]))

static void t_file_set(void)
{
	bool seen[NMR] = { 0 };
	DIR *d = opendir(MRDIR);
	if (!d)
		tst_brk(TST_FAIL, "opendir %s: %s", MRDIR, tst_errno_name(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		size_t k = NMR;
		for (size_t i = 0; i < NMR; i++)
			if (!strcmp(de->d_name, MRS[i].name))
				k = i;
		if (k == NMR) {
			tst_fail("unexpected file \"%s\" in measurements/ (names are NAME[:sha384])", de->d_name);
			continue;
		}
		seen[k] = true;
	}
	closedir(d);
	for (size_t i = 0; i < NMR; i++)
		if (!seen[i])
			tst_fail("measurements/%s is missing", MRS[i].name);
	if (!tst_fail_count())
		tst_pass("measurements/ holds exactly the 8 documented files");
}

static void t_modes_sizes(void)
{
	char p[512];
	uint8_t buf[96];
	for (size_t i = 0; i < NMR; i++) {
		snprintf(p, sizeof(p), "%s/%s", MRDIR, MRS[i].name);
		struct stat st;
		if (stat(p, &st) < 0) {
			tst_fail("stat measurements/%s: %s", MRS[i].name, tst_errno_name(errno));
			continue;
		}
		if ((st.st_mode & 0777) != MRS[i].mode)
			tst_fail("measurements/%s has mode 0%03o, want 0%03o", MRS[i].name, (unsigned)(st.st_mode & 0777), MRS[i].mode);
		if (st.st_size != 48)
			tst_fail("measurements/%s has st_size %lld, want 48", MRS[i].name, (long long)st.st_size);
		int fd = open(p, O_RDONLY);
		if (fd < 0) {
			tst_fail("open measurements/%s: %s", MRS[i].name, tst_errno_name(errno));
			continue;
		}
		ssize_t n = pread(fd, buf, sizeof(buf), 0);
		if (n != 48)
			tst_fail("reading measurements/%s gave %zd bytes (%s), want 48", MRS[i].name, n, n < 0 ? tst_errno_name(errno) : "short/long");
		n = pread(fd, buf, sizeof(buf), 48);
		if (n != 0)
			tst_fail("a read of measurements/%s at offset 48 gave %zd, want 0 (EOF)", MRS[i].name, n);
		close(fd);
	}
	/* the attribute group's directory: a kernfs directory of mode 0755 owned by root
	 * (sysfs_create_group(), fs/sysfs/group.c, as every sysfs directory) */
	u_check_mode(MRDIR, S_IFDIR, 0755);
	if (!tst_fail_count())
		tst_pass("RTMRs 0644, MRs 0444, every file 48 bytes with EOF at 48, the directory 0755");
}

/* Open-time access check (kernfs_fop_open(), fs/kernfs/file.c, 6.12 and 7.3: with
 * KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK, which sysfs_init() sets, FMODE_WRITE on a file without
 * S_IWUGO is -EACCES before any fd exists). Root passes the VFS's own check through
 * CAP_DAC_OVERRIDE, so only this check stops it; the test opens but never writes. */
static void t_open_modes(void)
{
	static const int flags[] = { O_WRONLY, O_RDWR };
	char p[512];
	int judged = 0;
	for (size_t i = 0; i < NMR; i++) {
		snprintf(p, sizeof(p), "%s/%s", MRDIR, MRS[i].name);
		for (size_t j = 0; j < sizeof(flags) / sizeof(flags[0]); j++) {
			const char *m = flags[j] == O_WRONLY ? "O_WRONLY" : "O_RDWR";
			errno = 0;
			int fd = open(p, flags[j]);
			int err = errno;
			if (fd >= 0)
				close(fd);
			judged++;
			if (MRS[i].mode & 0222) {
				if (fd < 0)
					tst_fail("open(measurements/%s, %s) as root: %s, want an fd (mode 0%03o)", MRS[i].name, m,
						 tst_errno_name(err), MRS[i].mode);
			} else if (fd >= 0) {
				tst_fail("open(measurements/%s, %s) as root gave an fd, want EACCES at open (mode 0%03o)",
					 MRS[i].name, m, MRS[i].mode);
			} else if (err != EACCES) {
				tst_fail("open(measurements/%s, %s) as root: %s, want EACCES", MRS[i].name, m, tst_errno_name(err));
			}
		}
	}
	if (!tst_fail_count())
		tst_pass("%d opens for writing as root: EACCES at open() on the 0444 MRs, an fd on the 0644 RTMRs", judged);
}

static void t_values(void)
{
	uint8_t rd[64], rep[1024], v[64];
	u_fill_pattern(rd, 64);
	int rc = u_tdx_report(rd, rep);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 failed: %s", tst_errno_name(-rc));
	for (size_t i = 0; i < NMR; i++) {
		ssize_t n = u_mr_read(MRS[i].name, v, sizeof(v));
		if (n != 48) {
			tst_fail("measurements/%s read %zd bytes (%s)", MRS[i].name, n, n < 0 ? tst_errno_name((int)-n) : "want 48");
			continue;
		}
		if (memcmp(v, rep + MRS[i].off, 48))
			tst_fail("measurements/%s = %s, TDREPORT[0x%x] = %s", MRS[i].name, tst_hex(v, 48), MRS[i].off,
				 tst_hex(rep + MRS[i].off, 48));
	}
	if (!tst_fail_count())
		tst_pass("all 8 values equal the TDREPORT");
}

/* A sysfs binary attribute is read from the file position: pread at offset 16 gives bytes
 * 16.., at 40 the last 8, at 48 EOF. Each slice must equal the whole value's. */
static void t_partial(void)
{
	static const struct { off_t off; size_t len, want; } cut[] = { { 16, 16, 16 }, { 40, 16, 8 }, { 47, 1, 1 }, { 48, 8, 0 } };
	uint8_t whole[64], part[16];
	char p[512];
	for (size_t i = 0; i < NMR; i++) {
		ssize_t n = u_mr_read(MRS[i].name, whole, sizeof(whole));
		if (n != 48) {
			tst_fail("measurements/%s read %zd bytes (%s)", MRS[i].name, n, n < 0 ? tst_errno_name((int)-n) : "want 48");
			continue;
		}
		snprintf(p, sizeof(p), "%s/%s", MRDIR, MRS[i].name);
		int fd = open(p, O_RDONLY);
		if (fd < 0) {
			tst_fail("open %s: %s", p, tst_errno_name(errno));
			continue;
		}
		for (size_t c = 0; c < sizeof(cut) / sizeof(cut[0]); c++) {
			memset(part, 0xee, sizeof(part));
			ssize_t r = pread(fd, part, cut[c].len, cut[c].off);
			if (r != (ssize_t)cut[c].want)
				tst_fail("pread(measurements/%s, %zu, offset %lld) = %zd (%s), want %zu", MRS[i].name, cut[c].len,
					 (long long)cut[c].off, r, r < 0 ? tst_errno_name(errno) : "bytes", cut[c].want);
			else if (r > 0 && memcmp(part, whole + cut[c].off, (size_t)r))
				tst_fail("pread(measurements/%s, offset %lld) = %s, the value's bytes there are %s", MRS[i].name,
					 (long long)cut[c].off, tst_hex(part, (size_t)r), tst_hex(whole + cut[c].off, (size_t)r));
		}
		close(fd);
	}
	if (!tst_fail_count())
		tst_pass("reads at offsets 16, 40, 47 and 48 return the value's bytes from there (EOF at 48)");
}

static int read_rtmr3(uint8_t out[48])
{
	ssize_t n = u_mr_read("rtmr3:sha384", out, 48);
	if (n != 48) {
		tst_fail("reading rtmr3:sha384 gave %zd (%s)", n, n < 0 ? tst_errno_name((int)-n) : "want 48 bytes");
		return -1;
	}
	return 0;
}

static void t_wrong_size(void)
{
	char p[512];
	uint8_t before[48], after[48], data[64];
	snprintf(p, sizeof(p), "%s/rtmr3:sha384", MRDIR);
	if (read_rtmr3(before))
		return;
	u_fill_pattern(data, sizeof(data));
	static const struct { size_t len; off_t off; } bad[] = { { 47, 0 }, { 1, 0 }, { 32, 0 }, { 48, 1 }, { 16, 32 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = open(p, O_WRONLY);
		if (fd < 0) {
			tst_fail("open rtmr3:sha384 O_WRONLY: %s", tst_errno_name(errno));
			return;
		}
		errno = 0;
		ssize_t w = pwrite(fd, data, bad[i].len, bad[i].off);
		int e = errno;
		close(fd);
		if (w >= 0)
			tst_fail("a %zu-byte write at offset %lld to rtmr3:sha384 returned %zd, want EINVAL (exactly 48 at 0)", bad[i].len,
				 (long long)bad[i].off, w);
		else if (e != EINVAL)
			tst_fail("a %zu-byte write at offset %lld failed with %s, want EINVAL", bad[i].len, (long long)bad[i].off,
				 tst_errno_name(e));
	}
	if (read_rtmr3(after))
		return;
	if (memcmp(before, after, 48))
		tst_fail("RTMR3 changed after rejected wrong-size writes (%s -> %s)", tst_hex(before, 48), tst_hex(after, 48));
	/* Read-only MRs cannot be written. */
	snprintf(p, sizeof(p), "%s/mrtd:sha384", MRDIR);
	int fd = open(p, O_WRONLY);
	if (fd >= 0) {
		ssize_t w = write(fd, data, 48);
		close(fd);
		if (w >= 0)
			tst_fail("a write to read-only mrtd:sha384 succeeded");
	}
	if (!tst_fail_count())
		tst_pass("writes other than 48 bytes at offset 0 -> EINVAL, RTMR3 unchanged");
}

static void t_extend(void)
{
	char p[512];
	uint8_t old[48], data[48], want[48], now[48], rd[64], rep[1024];
	snprintf(p, sizeof(p), "%s/rtmr3:sha384", MRDIR);
	if (read_rtmr3(old))
		return;
	u_fill_pattern(data, 48);
	u_sha384_extend(want, old, data);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open rtmr3:sha384 O_WRONLY: %s", tst_errno_name(errno));
	ssize_t w = write(fd, data, 48);
	int e = errno;
	close(fd);
	if (w != 48)
		tst_brk(TST_FAIL, "a 48-byte write to rtmr3:sha384 returned %zd (%s), want 48", w, w < 0 ? tst_errno_name(e) : "short");
	if (read_rtmr3(now))
		return;
	if (memcmp(now, want, 48))
		tst_fail("rtmr3:sha384 after an extend reads %s, want SHA-384(old || data) = %s%s", tst_hex(now, 48), tst_hex(want, 48),
			 memcmp(now, old, 48) ? "" : " (unchanged: stale cache)");
	u_fill_pattern(rd, 64);
	int rc = u_tdx_report(rd, rep);
	if (rc) {
		tst_fail("GET_REPORT0 after the extend failed: %s", tst_errno_name(-rc));
		return;
	}
	if (memcmp(rep + TDREPORT_OFF_RTMR0 + 144, want, 48))
		tst_fail("TDREPORT RTMR3 after a sysfs extend is %s, want %s", tst_hex(rep + TDREPORT_OFF_RTMR0 + 144, 48), tst_hex(want, 48));
	teeabi_err he = teeabi_tdreport_verify_hashes(rep, sizeof(rep));
	if (he != TEEABI_OK)
		tst_fail("TDREPORT hashes invalid after the extend: %s", teeabi_err_name(he));
	if (!tst_fail_count())
		tst_pass("48-byte write extends RTMR3 = SHA-384(old || data), seen by read and TDREPORT");
}

/* sysfs binary-file clamping on an RTMR (kernel-abi.md §1.4, per code reading): a write at
 * pos 48 (the attribute's size) is EFBIG and extends nothing; a 49-byte write at 0 is cut to
 * 48 bytes, succeeds with 48 and extends with those 48 bytes. */
static void t_sysfs_clamp(void)
{
	char p[512];
	uint8_t old[48], now[48], want[48], data[64];
	snprintf(p, sizeof(p), "%s/rtmr3:sha384", MRDIR);
	if (read_rtmr3(old))
		return;
	u_fill_pattern(data, sizeof(data));
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open rtmr3:sha384 O_WRONLY: %s", tst_errno_name(errno));
	errno = 0;
	ssize_t w = pwrite(fd, data, 48, 48);
	int e = errno;
	close(fd);
	if (w >= 0)
		tst_fail("a 48-byte write at offset 48 to rtmr3:sha384 returned %zd, want EFBIG (pos at the attribute's end)", w);
	else if (e != EFBIG)
		tst_fail("a 48-byte write at offset 48 to rtmr3:sha384 failed with %s, want EFBIG (sysfs: pos >= size)", tst_errno_name(e));
	if (read_rtmr3(now))
		return;
	if (memcmp(old, now, 48))
		tst_fail("RTMR3 changed after a rejected write at offset 48 (%s -> %s)", tst_hex(old, 48), tst_hex(now, 48));
	memcpy(old, now, 48);
	u_sha384_extend(want, old, data);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		tst_brk(TST_FAIL, "open rtmr3:sha384 O_WRONLY: %s", tst_errno_name(errno));
	errno = 0;
	w = pwrite(fd, data, 49, 0);
	e = errno;
	close(fd);
	if (w != 48) {
		tst_fail("a 49-byte write at offset 0 to rtmr3:sha384 returned %s, want 48 (sysfs clamps the count to the 48-byte size)",
			 w < 0 ? tst_errno_name(e) : "a count other than 48");
	} else if (!read_rtmr3(now) && memcmp(now, want, 48)) {
		tst_fail("after a 49-byte write rtmr3:sha384 reads %s, want SHA-384(old || first 48 bytes) = %s", tst_hex(now, 48),
			 tst_hex(want, 48));
	}
	if (!tst_fail_count())
		tst_pass("write at offset 48 -> EFBIG; a 49-byte write is clamped to 48 and extends with the first 48 bytes");
}

/* Every RTMR file extends its own RTMR: "All four RTMRs can be written; the kernel has no
 * index policy" (kernel-abi.md §1.4), and the values sit at TDREPORT 720/768/816/864. */
static void t_every_rtmr(void)
{
	uint8_t rd[64], before[1024], after[1024], data[48], want[48];
	u_fill_pattern(rd, 64);
	for (int i = 0; i < 4; i++) {
		char name[32], p[512];
		snprintf(name, sizeof(name), "rtmr%d:sha384", i);
		snprintf(p, sizeof(p), "%s/%s", MRDIR, name);
		int rc = u_tdx_report(rd, before);
		if (rc)
			tst_brk(TST_FAIL, "GET_REPORT0 failed: %s", tst_errno_name(-rc));
		u_fill_pattern(data, 48);
		u_sha384_extend(want, before + TDREPORT_OFF_RTMR0 + 48 * i, data);
		int fd = open(p, O_WRONLY);
		if (fd < 0) {
			tst_fail("open %s O_WRONLY: %s", name, tst_errno_name(errno));
			continue;
		}
		errno = 0;
		ssize_t w = write(fd, data, 48);
		int e = errno;
		close(fd);
		if (w != 48) {
			tst_fail("a 48-byte write to %s returned %s, want 48 (every RTMR is extendable)", name,
				 w < 0 ? tst_errno_name(e) : "a short count");
			continue;
		}
		rc = u_tdx_report(rd, after);
		if (rc)
			tst_brk(TST_FAIL, "GET_REPORT0 after extending %s failed: %s", name, tst_errno_name(-rc));
		for (int j = 0; j < 4; j++) {
			const uint8_t *b = before + TDREPORT_OFF_RTMR0 + 48 * j, *a = after + TDREPORT_OFF_RTMR0 + 48 * j;
			if (j == i && memcmp(a, want, 48))
				tst_fail("after a write to %s, TDREPORT RTMR%d is %s, want SHA-384(old || data) = %s", name, j, tst_hex(a, 48),
					 tst_hex(want, 48));
			else if (j != i && memcmp(a, b, 48))
				tst_fail("a write to %s changed TDREPORT RTMR%d", name, j);
		}
		uint8_t v[48];
		ssize_t n = u_mr_read(name, v, sizeof(v));
		if (n != 48 || memcmp(v, want, 48))
			tst_fail("%s after its extend reads %s, want %s", name, n == 48 ? tst_hex(v, 48) : "no 48 bytes", tst_hex(want, 48));
	}
	if (!tst_fail_count())
		tst_pass("each of rtmr0..rtmr3:sha384 extends its own RTMR (TDREPORT 720/768/816/864), no others");
}

/* The cache behind the files is refreshed for every register (issue 17 rules 2 and 1): the
 * tsm-mr core marks the RTMRs "live" and calls the refresh hook when the value is read after
 * an extend (drivers/virt/coco/guest/tsm-mr.c tm_digest_read(); tdx_mr_refresh() of
 * drivers/virt/coco/tdx-guest/tdx-guest.c takes a new TDREPORT; include/linux/tsm-mr.h: the
 * refresh "must reload all MRs with TSM_MR_F_LIVE set", and rtmr0..3 are TSM_MR_F_RTMR =
 * LIVE | WRITABLE in tdx-guest.c), so after an extend of any
 * RTMR through its file the very first read of any file shows the new state: the extended
 * register's SHA-384(old || data), every other file its old value. Each register is extended
 * twice: once its own file is read first, once another RTMR's file is (a refresh done for
 * one file must serve them all). The measurements files are the only extend path of every
 * profile that has them (rtmr_extend = sysfs). */
static void t_first_read_fresh(void)
{
	uint8_t base[NMR][48], data[48], want[48], v[48];
	for (int order = 0; order < 2; order++)
		for (int i = 0; i < 4; i++) {
			size_t own = NMR - 4 + (size_t)i, other = NMR - 4 + (size_t)((i + 1) % 4), seq[NMR], ns = 0;
			for (size_t j = 0; j < NMR; j++)
				if (u_mr_read(MRS[j].name, base[j], 48) != 48)
					tst_brk(TST_FAIL, "reading %s did not give 48 bytes", MRS[j].name);
			u_fill_pattern(data, 48);
			data[0] ^= (uint8_t)(1 + i + 4 * order);
			u_sha384_extend(want, base[own], data);
			char p[512];
			snprintf(p, sizeof(p), "%s/%s", MRDIR, MRS[own].name);
			int fd = open(p, O_WRONLY);
			if (fd < 0)
				tst_brk(TST_FAIL, "open %s O_WRONLY: %s", MRS[own].name, tst_errno_name(errno));
			errno = 0;
			ssize_t w = write(fd, data, 48);
			int e = errno;
			close(fd);
			if (w != 48)
				tst_brk(TST_FAIL, "a 48-byte write to %s returned %s, want 48", MRS[own].name, w < 0 ? tst_errno_name(e) : "a short count");
			if (order)
				seq[ns++] = other;
			seq[ns++] = own;
			for (size_t j = 0; j < NMR; j++)
				if (j != own && !(order && j == other))
					seq[ns++] = j;
			for (size_t s = 0; s < ns; s++) {
				size_t j = seq[s];
				const uint8_t *exp = j == own ? want : base[j];
				ssize_t n = u_mr_read(MRS[j].name, v, 48);
				if (n != 48 || memcmp(v, exp, 48))
					tst_fail("after extending %s, read %zu (%s) of %s gives %s, want %s%s", MRS[own].name, s + 1,
						 s ? "after others" : "the first read", MRS[j].name, n == 48 ? tst_hex(v, 48) : "no 48 bytes",
						 tst_hex(exp, 48), j == own ? " = SHA-384(old || data)" : " (unchanged)");
			}
		}
	if (!tst_fail_count())
		tst_pass("after an extend of each RTMR the first read of any file shows the new state (own file first, or another first)");
}

/* The refresh of a stale cache does not depend on where the read starts: tm_digest_read()
 * (drivers/virt/coco/guest/tsm-mr.c) calls tm->refresh() for any read of a LIVE register while
 * in_sync is false, whatever its offset, and tm_digest_write() clears in_sync (issue 17 rule 2:
 * read back in each way). So after each extend of each RTMR, the first read at offset k (each k
 * of 0..47, the register's own file first, or another RTMR's file at k first) shows bytes
 * k..47 of SHA-384(old || data). */
static void t_first_read_at_offset(void)
{
	uint8_t cur[4][48], data[48], v[48];
	char p[512];
	for (int i = 0; i < 4; i++)
		if (u_mr_read(MRS[NMR - 4 + (size_t)i].name, cur[i], 48) != 48)
			tst_brk(TST_FAIL, "reading %s did not give 48 bytes", MRS[NMR - 4 + (size_t)i].name);
	unsigned bad = 0, reads = 0;
	for (int order = 0; order < 2; order++)
		for (int i = 0; i < 4; i++)
			for (size_t k = 0; k < 48; k++) {
				int other = (i + 1) % 4;
				const char *own = MRS[NMR - 4 + (size_t)i].name, *oth = MRS[NMR - 4 + (size_t)other].name;
				u_fill_pattern(data, 48);
				data[0] ^= (uint8_t)(1 + k);
				data[1] ^= (uint8_t)(1 + i + 4 * order);
				snprintf(p, sizeof(p), "%s/%s", MRDIR, own);
				int fd = open(p, O_WRONLY);
				if (fd < 0)
					tst_brk(TST_FAIL, "open %s O_WRONLY: %s", own, tst_errno_name(errno));
				errno = 0;
				ssize_t w = write(fd, data, 48);
				int e = errno;
				close(fd);
				if (w != 48)
					tst_brk(TST_FAIL, "a 48-byte write to %s returned %s, want 48", own, w < 0 ? tst_errno_name(e) : "a short count");
				u_sha384_extend(cur[i], cur[i], data);
				for (int r = order ? 0 : 1; r < 2; r++) {
					const char *f = r ? own : oth;
					const uint8_t *exp = r ? cur[i] : cur[other];
					snprintf(p, sizeof(p), "%s/%s", MRDIR, f);
					fd = open(p, O_RDONLY);
					if (fd < 0)
						tst_brk(TST_FAIL, "open %s: %s", f, tst_errno_name(errno));
					memset(v, 0xee, sizeof(v));
					ssize_t n = pread(fd, v, 48, (off_t)k);
					e = errno;
					close(fd);
					reads++;
					if (n != (ssize_t)(48 - k) || memcmp(v, exp + k, 48 - k)) {
						if (bad++ < 4)
							tst_fail("after extending %s, the first read%s at offset %zu of %s gives %s, want %s "
								 "(bytes %zu.. of %s)", own, order ? (r ? " after one of another file" : "") : "", k, f,
								 n < 0 ? tst_errno_name(e) : tst_hex(v, (size_t)n), tst_hex(exp + k, 48 - k), k,
								 r ? "SHA-384(old || data)" : "its unchanged value");
					}
				}
			}
	if (bad > 4)
		tst_fail("%u of %u first reads at an offset were wrong (4 shown)", bad, reads);
	if (!tst_fail_count())
		tst_pass("after each of %u extends (4 RTMRs x offsets 0..47, x2 orders) the first read at the offset shows the new "
			 "value's bytes from there (%u reads)", 4 * 48 * 2, reads);
}

static const struct tst_test tests[] = {
	{ .name = "tsm_mr.files.set", .fn = t_file_set, .needs_dev = MRDIR, .iface = TST_IF_TDX },
	{ .name = "tsm_mr.files.modes_sizes", .fn = t_modes_sizes, .needs_dev = MRDIR, .iface = TST_IF_TDX },
	{ .name = "tsm_mr.files.open_modes", .fn = t_open_modes, .needs_dev = MRDIR, .iface = TST_IF_TDX, .needs_root = true },
	{ .name = "tsm_mr.values.match_tdreport", .fn = t_values, .needs_dev = MRDIR, .needs_dev2 = TEEABI_DEV_TDX_GUEST, .iface = TST_IF_TDX },
	{ .name = "tsm_mr.read.partial_offset", .fn = t_partial, .needs_dev = MRDIR, .iface = TST_IF_TDX },
	{ .name = "tsm_mr.write.wrong_size", .fn = t_wrong_size, .needs_dev = MRDIR, .iface = TST_IF_TDX, .needs_root = true, .destructive = true },
	{ .name = "tsm_mr.write.extend", .fn = t_extend, .needs_dev = MRDIR, .needs_dev2 = TEEABI_DEV_TDX_GUEST,
	  .iface = TST_IF_TDX, .needs_root = true, .destructive = true },
	{ .name = "tsm_mr.write.sysfs_clamp", .fn = t_sysfs_clamp, .needs_dev = MRDIR, .iface = TST_IF_TDX, .needs_root = true, .destructive = true },
	{ .name = "tsm_mr.write.every_rtmr", .fn = t_every_rtmr, .needs_dev = MRDIR, .needs_dev2 = TEEABI_DEV_TDX_GUEST,
	  .iface = TST_IF_TDX, .needs_root = true, .destructive = true },
	{ .name = "tsm_mr.write.first_read_fresh", .fn = t_first_read_fresh, .needs_dev = MRDIR, .iface = TST_IF_TDX, .needs_root = true,
	  .destructive = true },
	{ .name = "tsm_mr.write.first_read_at_offset", .fn = t_first_read_at_offset, .needs_dev = MRDIR, .iface = TST_IF_TDX,
	  .needs_root = true, .destructive = true },
	{ 0 },
};

TST_SUITE("tsm_mr", tests)
