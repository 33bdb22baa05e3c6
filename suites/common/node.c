/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/node.c - the device node as the kernel makes it: a misc character device
 * (drivers/char/misc.c misc_register(): MISC_MAJOR 10, a dynamic minor, a device under
 * /sys/class/misc with its dev attribute). mockfs serves nodes as FUSE regular files, so
 * there the check says SKIP with the reason; on a real guest a regular file is a FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "node.h"
#include "tst.h"

#define FUSE_MAGIC 0x65735546 /* FUSE_SUPER_MAGIC, include/uapi/linux/magic.h */

int tst_parse_devnum(const char *text, unsigned *maj, unsigned *min)
{
	char *end;
	errno = 0;
	unsigned long a = strtoul(text, &end, 10);
	if (end == text || *end != ':' || errno || a > UINT_MAX)
		return -1;
	const char *b = end + 1;
	unsigned long c = strtoul(b, &end, 10);
	if (end == b || errno || c > UINT_MAX || (*end && strcmp(end, "\n")))
		return -1;
	*maj = (unsigned)a;
	*min = (unsigned)c;
	return 0;
}

int tst_chrdev_major(const char *text, const char *name)
{
	/* "Character devices:\n  1 mem\n ... \nBlock devices:\n" */
	const char *p = strstr(text, "Character devices:");
	const char *stop = strstr(text, "Block devices:");
	if (!p)
		return -1;
	for (p = strchr(p, '\n'); p && *p && (!stop || p < stop); p = strchr(p, '\n')) {
		p++;
		int maj, n = 0;
		char nm[64];
		if (sscanf(p, " %d %63s%n", &maj, nm, &n) == 2 && !strcmp(nm, name))
			return maj;
	}
	return -1;
}

static int read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, cap - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	return 0;
}

void tst_check_misc_node(const char *path, const char *misc_name)
{
	struct statfs sf;
	struct stat st;
	char buf[8192], sys[256];
	unsigned maj, min;

	if (statfs(path, &sf) == 0 && (unsigned long)sf.f_type == FUSE_MAGIC) {
		tst_skip("%s is served by FUSE (mockfs: a regular file without a device number); a real kernel's node is checked", path);
		return;
	}
	if (stat(path, &st)) {
		tst_fail("stat(%s): %s", path, tst_errno_name(errno));
		return;
	}
	if (!S_ISCHR(st.st_mode)) {
		tst_fail("%s is not a character device (mode %06o)", path, (unsigned)st.st_mode);
		return;
	}
	int rc = read_small("/proc/devices", buf, sizeof(buf));
	int misc = rc ? -1 : tst_chrdev_major(buf, "misc");
	if (misc < 0) {
		tst_fail("/proc/devices: %s", rc ? tst_errno_name(-rc) : "no misc driver listed");
		return;
	}
	if (major(st.st_rdev) != (unsigned)misc) {
		tst_fail("%s is char %u:%u, not of the misc major %d", path, major(st.st_rdev), minor(st.st_rdev), misc);
		return;
	}
	snprintf(sys, sizeof(sys), "/sys/class/misc/%s", misc_name);
	if (lstat(sys, &st) == 0 && !S_ISLNK(st.st_mode)) {
		tst_fail("%s is not a link to the device (mode %06o)", sys, (unsigned)st.st_mode);
		return;
	}
	snprintf(sys, sizeof(sys), "/sys/class/misc/%s/dev", misc_name);
	rc = read_small(sys, buf, 64);
	if (rc) {
		tst_fail("%s: %s", sys, tst_errno_name(-rc));
		return;
	}
	if (tst_parse_devnum(buf, &maj, &min)) {
		tst_fail("%s reads \"%.20s\", not MAJOR:MINOR", sys, buf);
		return;
	}
	if (stat(path, &st) || maj != major(st.st_rdev) || min != minor(st.st_rdev)) {
		tst_fail("%s says %u:%u, but %s is %u:%u", sys, maj, min, path, major(st.st_rdev), minor(st.st_rdev));
		return;
	}
	tst_pass("%s: char %u:%u (misc major), %s agrees", path, maj, min, sys);
}

/* read()/write() on a misc device whose driver has only unlocked_ioctl (tdx_guest_fops,
 * snp_guest_fops): misc_open() puts the driver's fops in place before do_dentry_open()
 * (fs/open.c) decides FMODE_CAN_READ / FMODE_CAN_WRITE from f_op->read/read_iter and
 * write/write_iter, so vfs_read() and vfs_write() (fs/read_write.c) answer EINVAL, for
 * read, pread, write and pwrite alike (FMODE_PREAD/PWRITE stay set: no nonseekable_open),
 * 6.1 to 7.3. The buffer of a refused read keeps its canary. */
void tst_check_misc_no_rw(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), fails = 0;
	if (fd < 0) {
		tst_brok("open(%s, O_RDWR): %s", path, tst_errno_name(errno));
		return;
	}
	static const char *const what[] = { "read", "pread at 0", "write", "pwrite at 0" };
	unsigned char buf[16];
	for (int i = 0; i < 4; i++) {
		memset(buf, 0xa5, sizeof(buf));
		errno = 0;
		ssize_t n = i == 0 ? read(fd, buf, sizeof(buf))
			  : i == 1 ? pread(fd, buf, sizeof(buf), 0)
			  : i == 2 ? write(fd, buf, sizeof(buf))
				   : pwrite(fd, buf, sizeof(buf), 0);
		int e = errno;
		fails += n >= 0 || e != EINVAL;
		if (n >= 0)
			tst_fail("%s of %zu bytes on %s returned %zd, want -1 EINVAL (the driver has no %s op)", what[i],
				 sizeof(buf), path, n, i < 2 ? "read" : "write");
		else if (e != EINVAL)
			tst_fail("%s on %s failed with %s, want EINVAL", what[i], path, tst_errno_name(e));
		for (size_t j = 0; i < 2 && j < sizeof(buf); j++)
			if (buf[j] != 0xa5) {
				fails++;
				tst_fail("%s on %s wrote byte %zu of the buffer (0x%02x)", what[i], path, j, buf[j]);
				break;
			}
	}
	close(fd);
	if (!fails)
		tst_pass("%s: read, pread, write and pwrite -> EINVAL, buffer untouched (ioctl is the only op)", path);
}

/* Every ioctl on an fd of each open mode (issue 17 rule 4: the open mode is an argument too).
 * No f_mode check stands between open() and the driver's ioctl: misc_open()
 * (drivers/char/misc.c) only swaps in the driver's fops, do_vfs_ioctl() (fs/ioctl.c) passes
 * any command it does not know itself to vfs_ioctl() -> f_op->unlocked_ioctl whatever the
 * mode, and tdx_guest_ioctl() (drivers/virt/coco/tdx-guest/tdx-guest.c) and
 * snp_guest_ioctl() (drivers/virt/coco/sev-guest/sev-guest.c) never look at file->f_mode,
 * 6.12 and 7.3 alike. So O_RDONLY, O_WRONLY and O_RDWR give the same answer to every
 * command: the one op->want names, or, where the profile cannot say (want < 0), O_RDWR's. */
void tst_check_open_modes(const char *path, const struct tst_dev_op *ops, size_t nops)
{
	static const struct { int flag; const char *name; } modes[] = {
		{ O_RDWR, "O_RDWR" }, { O_RDONLY, "O_RDONLY" }, { O_WRONLY, "O_WRONLY" },
	};
	int rdwr[16];
	size_t calls = 0;
	if (nops > sizeof(rdwr) / sizeof(rdwr[0])) {
		tst_brok("tst_check_open_modes: %zu ops, room for %zu", nops, sizeof(rdwr) / sizeof(rdwr[0]));
		return;
	}
	int before = tst_fail_count();
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		int fd = open(path, modes[m].flag | O_CLOEXEC);
		if (fd < 0) {
			/* needs_dev opened the node O_RDWR, so this user may read and write it. */
			tst_fail("open(%s, %s) failed: %s, although O_RDWR works", path, modes[m].name, tst_errno_name(errno));
			continue;
		}
		for (size_t i = 0; i < nops; i++) {
			int e = ops[i].run(fd, modes[m].name);
			int want = ops[i].want >= 0 ? ops[i].want : m ? rdwr[i] : e;
			if (m == 0)
				rdwr[i] = e;
			calls++;
			if (e != want)
				tst_fail("%s on an fd opened %s: %s, want %s (%s)", ops[i].name, modes[m].name,
					 e ? tst_errno_name(e) : "success", want ? tst_errno_name(want) : "success",
					 ops[i].want >= 0 ? "the driver's answer whatever the open mode" : "as on O_RDWR");
		}
		close(fd);
	}
	if (tst_fail_count() == before)
		tst_pass("%s: %zu ioctl calls (%zu commands x O_RDWR, O_RDONLY, O_WRONLY), each answered the same in every open mode",
			 path, calls, nops);
}
