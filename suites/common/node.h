/* SPDX-License-Identifier: Apache-2.0 */
/* suites/common/node.h - checks of a device node that only a real kernel can pass. */
#ifndef TEEABI_SUITES_NODE_H
#define TEEABI_SUITES_NODE_H

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

/* The numbers parsed from a sysfs dev file ("MAJOR:MINOR\n"); 0 or -1 (malformed). */
int tst_parse_devnum(const char *text, unsigned *maj, unsigned *min);
/* The major of a named character driver in /proc/devices-style text, or -1. */
int tst_chrdev_major(const char *text, const char *name);
#endif
