/* SPDX-License-Identifier: Apache-2.0 */
/* suites/common/widen.c - see widen.h. */
#include "widen.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tst.h"

/* A private copy of the character device `node` at the same path, visible only to this
 * process and its children. */
static void private_copy(const char *node, const struct stat *st)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", node);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		tst_brk(TST_BROK, "%s: no parent directory to cover with a private tmpfs", node);
	*slash = 0;
	if (unshare(CLONE_NEWNS) < 0)
		tst_brk(TST_BROK, "unshare(CLONE_NEWNS): %s", tst_errno_name(errno));
	/* Private propagation first: the tmpfs below must never reach the shared namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		tst_brk(TST_BROK, "making the mount namespace private: %s", tst_errno_name(errno));
	if (mount("teeabi-widen", dir, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") < 0)
		tst_brk(TST_BROK, "mount tmpfs over %s in the private namespace: %s", dir, tst_errno_name(errno));
	if (mknod(node, S_IFCHR | 0600, st->st_rdev) < 0 || chown(node, 0, 0) < 0 || chmod(node, 0600) < 0)
		tst_brk(TST_BROK, "mknod %s (%u:%u) in the private tmpfs: %s", node, major(st->st_rdev), minor(st->st_rdev),
			tst_errno_name(errno));
	struct stat cp;
	if (stat(node, &cp) < 0 || !S_ISCHR(cp.st_mode) || cp.st_rdev != st->st_rdev || cp.st_dev == st->st_dev)
		tst_brk(TST_BROK, "the private copy of %s is not a separate node with rdev %u:%u", node, major(st->st_rdev),
			minor(st->st_rdev));
	tst_info("private copy of %s (%u:%u) in a private mount namespace, root-owned 0600", node, major(st->st_rdev),
		 minor(st->st_rdev));
}

static void xwrite_int(int fd, int v)
{
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		_exit(252);
}

static bool xread_int(int fd, int *v)
{
	return read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v);
}

/* The user side: drop, become non-dumpable, try the closed node, wait for the go, use it. */
static void user_side(const char *node, uid_t uid, int (*use)(const char *), int to_root, int from_root)
{
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0 || geteuid() != uid)
		_exit(250);
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		_exit(251);
	int fd = open(node, O_RDWR | O_CLOEXEC);
	xwrite_int(to_root, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	int go;
	if (!xread_int(from_root, &go))
		_exit(253);
	xwrite_int(to_root, use(node));
	_exit(0);
}

void tst_widen_check(const char *node, uid_t uid, int (*use)(const char *node), struct tst_widen *out)
{
	memset(out, 0, sizeof(*out));
	struct stat st;
	if (stat(node, &st) < 0)
		tst_brk(TST_BROK, "stat %s: %s", node, tst_errno_name(errno));
	mode_t orig = st.st_mode & 07777;
	tst_info("%s: owner %d, mode 0%03o, %s", node, (int)st.st_uid, (unsigned)orig,
		 S_ISCHR(st.st_mode) ? "character device" : "not a character device");
	/* The shared node, kept open by path to prove afterwards that its mode never changed. */
	int shared = open(node, O_PATH | O_CLOEXEC);
	if (shared < 0)
		tst_brk(TST_BROK, "open %s O_PATH: %s", node, tst_errno_name(errno));
	if (S_ISCHR(st.st_mode)) {
		private_copy(node, &st);
		out->private_copy = true;
		out->root_owned = true;
	} else if (!tst_allow_destructive) {
		tst_brk(TST_SKIP, "%s is not a character device (a FUSE file?): no private copy with the same rdev can be "
			"made, and widening the shared node's mode for the test needs --allow-destructive", node);
	} else {
		tst_info("--allow-destructive: %s is not a character device, so its own mode is changed for the test", node);
		tst_cleanup_chmod(node, orig);
		if (chmod(node, 0600) < 0)
			tst_brk(TST_BROK, "chmod 0600 %s: %s", node, tst_errno_name(errno));
		out->root_owned = st.st_uid == 0;
	}
	int up[2], down[2];
	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0)
		tst_brk(TST_BROK, "pipe: %s", tst_errno_name(errno));
	pid_t pid = fork();
	if (pid < 0)
		tst_brk(TST_BROK, "fork: %s", tst_errno_name(errno));
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		user_side(node, uid, use, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	bool ok = xread_int(up[0], &out->closed_errno);
	/* The user process is non-dumpable now: only then is the copy widened. */
	if (ok && chmod(node, 0666) < 0)
		tst_brk(TST_BROK, "chmod 0666 %s: %s", node, tst_errno_name(errno));
	int go = 1;
	ok = ok && write(down[1], &go, sizeof(go)) == (ssize_t)sizeof(go) && xread_int(up[0], &out->use_result);
	close(down[1]);
	close(up[0]);
	int wst = 0;
	waitpid(pid, &wst, 0);
	if (chmod(node, out->private_copy ? 0600 : orig) < 0)
		tst_brk(TST_BROK, "restoring the mode of %s: %s", node, tst_errno_name(errno));
	if (!ok) {
		if (WIFEXITED(wst) && WEXITSTATUS(wst) >= 250)
			tst_brk(TST_BROK, "the uid %d helper could not drop its privileges or become non-dumpable (exit %d)", (int)uid,
				WEXITSTATUS(wst));
		tst_brk(TST_BROK, "the uid %d helper died (%s %d)", (int)uid, WIFSIGNALED(wst) ? "signal" : "exit",
			WIFSIGNALED(wst) ? WTERMSIG(wst) : WEXITSTATUS(wst));
	}
	struct stat now;
	if (fstat(shared, &now) < 0)
		tst_brk(TST_BROK, "fstat of the shared %s: %s", node, tst_errno_name(errno));
	close(shared);
	if (out->private_copy && (now.st_mode & 07777) != orig)
		tst_fail("the shared %s changed mode from 0%03o to 0%03o during a private-copy check", node, (unsigned)orig,
			 (unsigned)(now.st_mode & 07777));
}
