/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/perms - access control of the attestation interfaces for unprivileged users
 * (docs/kernel-abi.md §1.1, §2.1: no capability checks, the node's mode decides; §3.2
 * configfs modes; docs/dstack-os.md §9: root-owned nodes, chmod 666 helpers).
 *
 * Verified, from a forked child that drops to uid/gid 1000 with setresuid/setresgid:
 *  - a root-owned 0600 /dev/tdx_guest or /dev/sev-guest cannot be opened: EACCES;
 *  - after a root helper's chmod 666 the same user opens it and gets a report
 *    (GET_REPORT0 / SNP_GET_REPORT).
 *    Access to the shared node is never widened (common/widen.h): the check runs on a
 *    private copy with the same rdev in a private mount namespace; where the node is not a
 *    character device (a FUSE file of mockfs) it is a SKIP unless --allow-destructive;
 *  - configfs-tsm as non-root: mkdir in the root-owned report directory is EACCES, the
 *    root-created entry's provider is readable (0444), its inblob (0200) is not writable,
 *    and it cannot be removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "../common/snp_pin.h"
#include "../common/tst.h"
#include "../common/util.h"
#include "../common/widen.h"

#define UID 1000

/* Run fn(arg) as uid/gid 1000 in a grandchild; returns its exit code (0..255) or -1. */
static int as_user(int (*fn)(const void *), const void *arg)
{
	pid_t pid = fork();
	if (pid < 0)
		tst_brk(TST_BROK, "fork: %s", tst_errno_name(errno));
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(UID, UID, UID) < 0 || setresuid(UID, UID, UID) < 0)
			_exit(250);
		if (geteuid() != UID)
			_exit(251);
		_exit(fn(arg) & 0xff);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		tst_brk(TST_BROK, "waitpid: %s", tst_errno_name(errno));
	if (!WIFEXITED(st))
		tst_brk(TST_BROK, "unprivileged helper died (signal %d)", WTERMSIG(st));
	int c = WEXITSTATUS(st);
	if (c == 250 || c == 251)
		tst_brk(TST_BROK, "could not drop to uid %d", UID);
	return c;
}

/* Child bodies return an errno (0 = success). */
static int tdx_report_errno(const char *node)
{
	uint8_t rd[64], rep[1024];
	memset(rd, 0x5a, sizeof(rd));
	int rc = u_tdx_report_at(node, rd, rep);
	if (rc)
		return -rc;
	return memcmp(rep + 128, rd, 64) ? 200 : 0; /* 200: report wrong */
}

static int sev_report_errno(const char *node)
{
	static struct teeabi_snp_report_resp resp;
	return -u_snp_report_at(node, &resp);
}

static void dev_perms(const char *node, int (*report)(const char *))
{
	struct tst_widen w;
	tst_widen_check(node, UID, report, &w);
	const char *where = w.private_copy ? " (private copy)" : "";
	if (w.root_owned) {
		if (w.closed_errno == 0)
			tst_fail("uid %d opened the root-owned 0600 %s%s", UID, node, where);
		else if (w.closed_errno != EACCES)
			tst_fail("uid %d opening the root-owned 0600 %s%s got %s, want EACCES", UID, node, where,
				 tst_errno_name(w.closed_errno));
		else
			tst_pass("uid %d: open of root-owned 0600 %s%s -> EACCES", UID, node, where);
	}
	if (w.use_result == 200)
		tst_fail("uid %d got a report from %s%s after chmod 666, but its report data is wrong", UID, node, where);
	else if (w.use_result)
		tst_fail("uid %d cannot get a report from %s%s after chmod 666: %s (no capability check exists)", UID, node,
			 where, tst_errno_name(w.use_result));
	else
		tst_pass("uid %d gets a report from %s%s after chmod 666", UID, node, where);
}

static void t_tdx(void) { dev_perms(TEEABI_DEV_TDX_GUEST, tdx_report_errno); }
static void t_sev(void) { dev_perms(TEEABI_DEV_SEV_GUEST, sev_report_errno); }

struct cfs_arg { char entry[512]; };

/* The entry's name is registered for removal (as root, by the parent) before the user's
 * mkdir: should it succeed (a FAIL), the entry does not outlive an interruption. */
static int cfs_mkdir(const void *arg)
{
	const char *p = arg;
	if (mkdir(p, 0700) == 0) {
		rmdir(p);
		return 0;
	}
	return errno;
}

static int cfs_read_provider(const void *arg)
{
	const struct cfs_arg *a = arg;
	char buf[64];
	ssize_t n = u_tsm_read(a->entry, "provider", buf, sizeof(buf));
	return n < 0 ? (int)-n : 0;
}

static int cfs_write_inblob(const void *arg)
{
	const struct cfs_arg *a = arg;
	char p[600];
	snprintf(p, sizeof(p), "%s/inblob", a->entry);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int cfs_rmdir(const void *arg)
{
	const struct cfs_arg *a = arg;
	return rmdir(a->entry) < 0 ? errno : 0;
}

static void t_configfs(void)
{
	struct cfs_arg a;
	int rc = u_tsm_mkentry(a.entry, sizeof(a.entry));
	if (rc)
		tst_brk(TST_FAIL, "root mkdir of a report entry failed: %s", tst_errno_name(-rc));
	char name[64], p[600];
	snprintf(p, sizeof(p), "%s/%s", TEEABI_TSM_REPORT_ROOT, tst_unique_name(name, sizeof(name)));
	tst_cleanup_rmdir(p);
	int e = as_user(cfs_mkdir, p);
	if (e == 0)
		tst_fail("uid %d created an entry in the root-owned %s", UID, TEEABI_TSM_REPORT_ROOT);
	else if (e != EACCES)
		tst_fail("uid %d mkdir in %s got %s, want EACCES", UID, TEEABI_TSM_REPORT_ROOT, tst_errno_name(e));
	e = as_user(cfs_read_provider, &a);
	if (e)
		tst_fail("uid %d cannot read the 0444 provider of a root-created entry: %s", UID, tst_errno_name(e));
	e = as_user(cfs_write_inblob, &a);
	if (e == 0)
		tst_fail("uid %d opened the root-owned 0200 inblob for writing", UID);
	else if (e != EACCES)
		tst_fail("uid %d opening inblob for writing got %s, want EACCES", UID, tst_errno_name(e));
	e = as_user(cfs_rmdir, &a);
	if (e == 0)
		tst_fail("uid %d removed a root-created report entry", UID);
	else if (e != EACCES && e != EPERM)
		tst_fail("uid %d rmdir of a root entry got %s, want EACCES", UID, tst_errno_name(e));
	u_tsm_rmentry(a.entry);
	if (!tst_fail_count())
		tst_pass("non-root: mkdir EACCES, provider readable, inblob not writable, entry not removable");
}

static const struct tst_test tests[] = {
	{ .name = "perms.dev.tdx_guest", .fn = t_tdx, .needs_dev = TEEABI_DEV_TDX_GUEST, .needs_root = true },
	{ .name = "perms.dev.sev_guest", .fn = t_sev, .needs_dev = TEEABI_DEV_SEV_GUEST, .needs_root = true },
	{ .name = "perms.configfs.nonroot", .fn = t_configfs, .needs_tsm_provider = true, .needs_root = true },
	{ 0 },
};

TST_SUITE("perms", tests)
