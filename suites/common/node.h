/* SPDX-License-Identifier: Apache-2.0 */
/* suites/common/node.h - checks of a device node that only a real kernel can pass. */
#ifndef TEEABI_SUITES_NODE_H
#define TEEABI_SUITES_NODE_H

#include <stddef.h>

/*
 * One test body: path is a character device of the misc major (the "misc" line of
 * /proc/devices), and /sys/class/misc/<misc_name> is a link whose dev file reads its
 * major:minor (drivers/char/misc.c, misc_register(): device_create() under misc_class).
 * A node served by FUSE (mockfs: a regular file) is a SKIP with that reason.
 */
void tst_check_misc_node(const char *path, const char *misc_name);

/* One test body: read, pread, write and pwrite on path (a misc device whose only file
 * operation is unlocked_ioctl) each fail with EINVAL and leave the buffer as it was. */
void tst_check_misc_no_rw(const char *path);

/* One ioctl on an open fd of a device node: run returns 0 or the errno, and reports a FAIL
 * itself when a successful answer is wrong (mode names the open mode, for messages). want is
 * the answer every open mode must give (0 success, an errno), or -1: the one O_RDWR gives. */
struct tst_dev_op {
	const char *name;
	int (*run)(int fd, const char *mode);
	int want;
};
/* One test body: every op on fds opened O_RDWR, O_RDONLY and O_WRONLY (at most 16 ops); the
 * drivers check no open mode, so each answer is op->want (or O_RDWR's) in every mode. */
void tst_check_open_modes(const char *path, const struct tst_dev_op *ops, size_t nops);

/* The numbers parsed from a sysfs dev file ("MAJOR:MINOR\n"); 0 or -1 (malformed). */
int tst_parse_devnum(const char *text, unsigned *maj, unsigned *min);
/* The major of a named character driver in /proc/devices-style text, or -1. */
int tst_chrdev_major(const char *text, const char *name);
#endif
