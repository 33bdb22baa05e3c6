/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/matrix - the image's documented interface matrix (DESIGN.md "Profiles and the
 * version matrix", docs/dstack-os.md §8, §2): every interface is present or absent
 * exactly as the profile says, the configfs-tsm provider is the profile's, the image's
 * pre-created entry exists, and the kernel release and /etc/os-release are consistent
 * with the profile. On an image whose profile fixes the device nodes' mode (dev_mode: 0600 on
 * dstack, the kernel's default with no udev rule) a node is root-owned with no permission bit
 * beyond it: access is the node's mode alone (kernel-abi.md §1.1), so a wider node hands
 * reports, keys and extends to more users. An interface that must be there and is not, or must not be there
 * and is, is a FAIL. No test here SKIPs for a missing node: absence is the thing judged.
 * The one declared requirement is that the machine is a confidential guest at all (some
 * TEE interface or the tdx_guest/sev_snp CPU flag); on a plain host the suite SKIPs, and
 * --require tdx|snp|tsm turns that into FAIL.
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
#include "../common/tst.h"
#include "../common/util.h"

/* Presence only: what the node does is the other suites' business (a misc device is a
 * character device on a kernel, but the node type is not part of the matrix). */
static void presence(const char *path, bool want, const char *what, bool is_node)
{
	struct stat st;
	bool have = stat(path, &st) == 0;
	if (have && is_node)
		tst_info("%s: %s, mode 0%03o", path, S_ISCHR(st.st_mode) ? "character device" : "not a character device",
			 (unsigned)(st.st_mode & 0777));
	if (have == want)
		tst_pass("%s %s, as profile %s says (%s)", path, have ? "present" : "absent", tst_profile->name, what);
	else if (want)
		tst_fail("%s is absent, but profile %s has %s", path, tst_profile->name, what);
	else
		tst_fail("%s is present, but profile %s excludes it (%s)", path, tst_profile->name, what);
}

/* The node's owner and mode as the image leaves them (no test here changes them), where the
 * profile fixes them (dev_mode: dstack images, 0600 root:root): owner root, no
 * setuid/setgid/sticky bit and no permission bit outside dev_mode. A narrower node is
 * reported, not failed (the other suites then SKIP as non-root or FAIL on what they cannot
 * do). Where the profile does not fix them (dev_mode = any: a generic kernel line, whose
 * distribution's or deployment's udev rules commonly give a group 0660) they are reported. */
static void node_access(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return; /* presence() judged it */
	unsigned mode = (unsigned)(st.st_mode & 07777);
	if (tst_profile->dev_mode < 0) {
		tst_info("%s: uid %u gid %u mode 0%03o (profile %s does not fix the node's mode: dev_mode = any)", path,
			 (unsigned)st.st_uid, (unsigned)st.st_gid, mode, tst_profile->name);
		return;
	}
	unsigned allowed = (unsigned)tst_profile->dev_mode;
	if (st.st_uid != 0)
		tst_fail("%s is owned by uid %u, want root (devtmpfs makes misc nodes root:root)", path, (unsigned)st.st_uid);
	if (mode & ~allowed)
		tst_fail("%s has mode 0%03o: bits 0%03o beyond profile %s's dev_mode 0%03o widen access to the device", path,
			 mode, mode & ~allowed, tst_profile->name, allowed);
	else if (mode != allowed)
		tst_info("%s has mode 0%03o, narrower than profile %s's dev_mode 0%03o", path, mode, tst_profile->name, allowed);
	if (!tst_fail_count())
		tst_pass("%s: uid %u gid %u mode 0%03o, within dev_mode 0%03o", path, (unsigned)st.st_uid, (unsigned)st.st_gid,
			 mode, allowed);
}

static void t_tdx_node(void)
{
	char what[96];
	snprintf(what, sizeof(what), "tdx_guest = %s", teeabi_tdx_flavour_name(tst_profile->tdx_guest));
	presence(TEEABI_DEV_TDX_GUEST, tst_profile->tdx_guest != TEEABI_TDX_ABSENT, what, true);
	node_access(TEEABI_DEV_TDX_GUEST);
}

static void t_sev_node(void)
{
	presence(TEEABI_DEV_SEV_GUEST, tst_profile->sev_guest, tst_profile->sev_guest ? "sev_guest = 1" : "sev_guest = 0", true);
	node_access(TEEABI_DEV_SEV_GUEST);
}

static void t_tsm_root(void)
{
	presence(TEEABI_TSM_REPORT_ROOT, tst_profile->configfs_tsm,
		 tst_profile->configfs_tsm ? "configfs_tsm = 1" : "configfs_tsm = 0", false);
}

static void t_measurements(void)
{
	presence(TEEABI_TDX_MEASUREMENTS_DIR, tst_profile->tsm_mr, tst_profile->tsm_mr ? "tsm_mr = 1" : "tsm_mr = 0", false);
}

/* /sys/devices/system/cpu/sev/vmpl (Documentation/ABI/testing/sysfs-devices-system-cpu, May
 * 2024, with the SVSM support of 6.11): made only on SEV-SNP guests; vmpl_show() prints the
 * running VMPL as "%d\n". Absence where the profile has it is a FAIL; presence on a kernel
 * the profile does not credit with it is reported but not failed (a distribution backport),
 * while presence on a TDX guest, a malformed value or another VMPL than the guest's is. */
#define SEV_SYSFS_VMPL "/sys/devices/system/cpu/sev/vmpl"

static void t_sev_vmpl(void)
{
	const struct teeabi_profile *p = tst_profile;
	char buf[32];
	ssize_t n = tst_read_file(SEV_SYSFS_VMPL, buf, sizeof(buf) - 1);
	if (n == -ENOENT || n == -ENOTDIR) {
		if (p->sev_sysfs_vmpl)
			tst_fail("%s is absent, but profile %s (SEV-SNP, kernel %s) has it (sev_sysfs_vmpl = 1)", SEV_SYSFS_VMPL,
				 p->name, p->kernel);
		else
			tst_pass("%s absent, as profile %s says (sev_sysfs_vmpl = 0)", SEV_SYSFS_VMPL, p->name);
		return;
	}
	if (n < 0) {
		tst_fail("%s: read: %s (a 0444 sysfs attribute)", SEV_SYSFS_VMPL, tst_errno_name((int)-n));
		return;
	}
	if (p->platform != TEEABI_PLAT_SNP) {
		tst_fail("%s is present on TDX profile %s: the kernel makes it for SEV-SNP guests only", SEV_SYSFS_VMPL, p->name);
		return;
	}
	buf[n] = 0;
	if (n != 2 || buf[0] < '0' || buf[0] > '3' || buf[1] != '\n') {
		tst_fail("%s reads \"%.*s\" (%zd bytes), not a VMPL 0..3 and a newline", SEV_SYSFS_VMPL, (int)strcspn(buf, "\n"), buf, n);
		return;
	}
	unsigned v = (unsigned)(buf[0] - '0');
	if (v != p->sev_vmpl) {
		tst_fail("%s reads %u, but the guest of profile %s runs at VMPL%u (sev_vmpl)", SEV_SYSFS_VMPL, v, p->name, p->sev_vmpl);
		return;
	}
	/* its mode and owner are the kernel's: vmpl_attr is __ATTR_RO(vmpl) (arch/x86/coco/sev/core.c,
	 * 6.12 and 7.3), i.e. 0444 (include/linux/sysfs.h __ATTR_RO: VERIFY_OCTAL_PERMISSIONS(0444)),
	 * owned by root, in a 0755 directory (kernfs, sysfs_create_group()); a narrower mode
	 * hides the VMPL from the unprivileged tools that pick their privlevel from it (round 5,
	 * 200), a wider one is a writable attribute without a store */
	if (u_check_mode(SEV_SYSFS_VMPL, S_IFREG, 0444) + u_check_mode("/sys/devices/system/cpu/sev", S_IFDIR, 0755))
		return;
	/* a 0444 sysfs attribute: O_WRONLY is EACCES at open(), for root too (kernfs_fop_open(),
	 * fs/kernfs/file.c, with sysfs' KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK) */
	if (geteuid() == 0) {
		errno = 0;
		int fd = open(SEV_SYSFS_VMPL, O_WRONLY);
		int e = errno;
		if (fd >= 0) {
			close(fd);
			tst_fail("%s opened O_WRONLY as root: want EACCES at open (a read-only sysfs attribute)", SEV_SYSFS_VMPL);
			return;
		}
		if (e != EACCES) {
			tst_fail("%s O_WRONLY as root: %s, want EACCES", SEV_SYSFS_VMPL, tst_errno_name(e));
			return;
		}
	}
	tst_pass("%s reads %u, the profile's VMPL%s", SEV_SYSFS_VMPL, v,
		 p->sev_sysfs_vmpl ? "" : " (present although the profile's kernel predates it: a backport?)");
}

static const char *has_tsm(const struct teeabi_profile *p)
{
	return p->configfs_tsm ? NULL : "no configfs-tsm on this image (presence judged by matrix.tsm_root)";
}

/* Which provider is registered: read an existing entry's provider, else create one. */
static void t_tsm_provider(void)
{
	if (!tst_exists(TEEABI_TSM_REPORT_ROOT)) {
		tst_fail("%s is absent, so no provider can be registered (profile wants %s)", TEEABI_TSM_REPORT_ROOT,
			 teeabi_tsm_provider_name(tst_profile->tsm_provider));
		return;
	}
	const char *want = teeabi_tsm_provider_name(tst_profile->tsm_provider);
	char e[512], buf[64];
	int rc = u_tsm_mkentry(e, sizeof(e));
	if (rc == -ENXIO) {
		if (tst_profile->tsm_provider == TEEABI_TSM_NONE)
			tst_pass("mkdir -> ENXIO: no provider, as the profile says");
		else
			tst_fail("mkdir in the report directory -> ENXIO: no provider registered, profile wants %s", want);
		return;
	}
	if (rc == -EACCES || rc == -EPERM) {
		tst_skip("needs root to create a report entry (mkdir: %s)", tst_errno_name(-rc));
		return;
	}
	if (rc) {
		tst_fail("mkdir in the report directory failed: %s", tst_errno_name(-rc));
		return;
	}
	ssize_t n = u_tsm_read(e, "provider", buf, sizeof(buf) - 1);
	u_tsm_rmentry(e);
	if (n < 0) {
		tst_fail("provider unreadable: %s", tst_errno_name((int)-n));
		return;
	}
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	if (tst_profile->tsm_provider == TEEABI_TSM_NONE)
		tst_fail("provider %s is registered, but profile %s has none", buf, tst_profile->name);
	else if (strcmp(buf, want))
		tst_fail("provider is %s, profile %s wants %s", buf, tst_profile->name, want);
	else
		tst_pass("provider %s as the profile says", buf);
}

static void t_precreate(void)
{
	const char *want = tst_profile->tsm_precreate;
	char p[512];
	if (!want[0]) {
		tst_info("profile pre-creates no entry: nothing to check beyond presence of the root");
		tst_pass("no pre-created entry expected");
		return;
	}
	snprintf(p, sizeof(p), "%s/%s", TEEABI_TSM_REPORT_ROOT, want);
	struct stat st;
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
		tst_pass("entry %s exists at boot", want);
	else
		tst_fail("entry %s, which the image creates at boot, is missing", want);
}

/* "6.9.0-dstack" -> 6, 9 and the suffix after the first '-' */
static bool parse_rel(const char *s, int *maj, int *min, const char **suffix)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || *end != '.')
		return false;
	const char *q = end + 1;
	long b = strtol(q, &end, 10);
	if (end == q)
		return false;
	*maj = (int)a;
	*min = (int)b;
	*suffix = strchr(s, '-');
	return true;
}

static void t_kernel(void)
{
	char rel[128];
	ssize_t n = tst_read_file("/proc/sys/kernel/osrelease", rel, sizeof(rel) - 1);
	if (n <= 0) {
		tst_brok("cannot read /proc/sys/kernel/osrelease: %s", n < 0 ? tst_errno_name((int)-n) : "empty");
		return;
	}
	rel[n] = 0;
	if (rel[n - 1] == '\n')
		rel[n - 1] = 0;
	int ma, mi, pa, pi;
	const char *sfx, *psfx;
	if (!parse_rel(rel, &ma, &mi, &sfx)) {
		tst_fail("kernel release \"%s\" is not MAJOR.MINOR...", rel);
		return;
	}
	if (!parse_rel(tst_profile->kernel, &pa, &pi, &psfx)) {
		tst_brok("profile kernel \"%s\" unparsable", tst_profile->kernel);
		return;
	}
	tst_info("kernel %s, profile %s expects %s", rel, tst_profile->name, tst_profile->kernel);
	if (ma != pa || mi != pi)
		tst_fail("kernel %s is not the %d.%d line of profile %s (%s)", rel, pa, pi, tst_profile->name, tst_profile->kernel);
	else if (psfx && strstr(psfx, "dstack") && !strstr(rel, "dstack"))
		tst_fail("kernel %s lacks the -dstack local version of profile %s (%s)", rel, tst_profile->name, tst_profile->kernel);
	else
		tst_pass("kernel %s matches the profile's %d.%d line", rel, pa, pi);
}

static void osr_get(const char *text, const char *key, char *out, size_t len)
{
	out[0] = 0;
	size_t kl = strlen(key);
	const char *p = text;
	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			const char *v = p + kl + 1;
			const char *e = strchr(v, '\n');
			size_t l = e ? (size_t)(e - v) : strlen(v);
			if (l >= 2 && (v[0] == '"' || v[0] == '\'') && v[l - 1] == v[0]) {
				v++;
				l -= 2;
			}
			if (l >= len)
				l = len - 1;
			memcpy(out, v, l);
			out[l] = 0;
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static void t_os_release(void)
{
	char text[4096], id[64], ver[64];
	ssize_t n = tst_read_file("/etc/os-release", text, sizeof(text) - 1);
	if (n < 0)
		n = tst_read_file("/usr/lib/os-release", text, sizeof(text) - 1);
	if (n < 0) {
		if (tst_profile->os_id[0])
			tst_fail("no /etc/os-release, but profile %s is image %s %s", tst_profile->name, tst_profile->os_id,
				 tst_profile->os_version);
		else
			tst_pass("no os-release; profile %s names no image", tst_profile->name);
		return;
	}
	text[n] = 0;
	osr_get(text, "ID", id, sizeof(id));
	osr_get(text, "VERSION_ID", ver, sizeof(ver));
	tst_info("os-release ID=%s VERSION_ID=%s; profile os_id=%s os_version=%s", id, ver, tst_profile->os_id,
		 tst_profile->os_version);
	if (tst_profile->os_id[0]) {
		if (strcmp(id, tst_profile->os_id))
			tst_fail("os-release ID=%s, profile %s is image %s", id, tst_profile->name, tst_profile->os_id);
		else if (tst_profile->os_version[0] && strcmp(ver, tst_profile->os_version))
			tst_fail("os-release VERSION_ID=%s, profile %s is version %s", ver, tst_profile->name, tst_profile->os_version);
		else
			tst_pass("os-release names image %s %s", id, ver);
	} else if (!strcmp(id, "dstack")) {
		tst_fail("os-release says dstack %s, but profile %s is a non-dstack kernel profile", ver, tst_profile->name);
	} else {
		tst_pass("os-release ID=%s is not a dstack image, consistent with profile %s", id[0] ? id : "(none)", tst_profile->name);
	}
}

static const struct tst_test tests[] = {
	{ .name = "matrix.node.tdx_guest", .fn = t_tdx_node, .needs_cvm = true },
	{ .name = "matrix.node.sev_guest", .fn = t_sev_node, .needs_cvm = true },
	{ .name = "matrix.configfs.report_root", .fn = t_tsm_root, .needs_cvm = true },
	{ .name = "matrix.configfs.provider", .fn = t_tsm_provider, .needs_cvm = true, .needs_profile = has_tsm },
	{ .name = "matrix.configfs.precreated_entry", .fn = t_precreate, .needs_cvm = true, .needs_profile = has_tsm },
	{ .name = "matrix.sysfs.measurements", .fn = t_measurements, .needs_cvm = true },
	{ .name = "matrix.sysfs.sev_vmpl", .fn = t_sev_vmpl, .needs_cvm = true },
	{ .name = "matrix.image.kernel_release", .fn = t_kernel, .needs_cvm = true },
	{ .name = "matrix.image.os_release", .fn = t_os_release, .needs_cvm = true },
	{ 0 },
};

TST_SUITE("matrix", tests)
