/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/widen.h - dstack's "root helper runs chmod 666, the app runs as user 1000"
 * pattern (docs/dstack-os.md §5.1, §9), checked without ever widening access to the
 * shared node: any local user could open a widened node in that window and keep the fd
 * (and an SNP request with a bad msg_version from it wipes the VMPCK until reboot).
 *
 * For a character device the check runs on a private copy: in the test child a private
 * mount namespace (propagation private), a tmpfs over the node's directory, a node made
 * there with the same rdev, root-owned 0600. A grandchild drops to the test uid, makes
 * itself non-dumpable (so /proc/<pid>/root is no way in for other processes of that uid),
 * opens the node (want EACCES), and only then does the root side chmod the private copy
 * 0666 and let it use the node. The shared node's mode is never touched.
 *
 * A node that is not a character device (mockfs serves FUSE regular files) cannot be
 * copied with the same rdev: the check is a SKIP unless --allow-destructive, where the
 * shared node itself is chmod-ed (registered for restoring first): the mock matrix passes
 * --allow-destructive, and there the node lives only in mockenv's private namespace.
 */
#ifndef TEEABI_SUITES_WIDEN_H
#define TEEABI_SUITES_WIDEN_H

#include <stdbool.h>
#include <sys/types.h>

struct tst_widen {
	int closed_errno;   /* the user's open(O_RDWR) while the node is 0600 (0: it opened) */
	int use_result;     /* use(node) as the user after chmod 666: 0 success, else its code */
	bool root_owned;    /* the node was root-owned while closed (the EACCES is meaningful) */
	bool private_copy;  /* true: on a private copy; false: the shared node (--allow-destructive) */
};

/* Runs inside a test (child, root). use() runs as uid/gid `uid` in a grandchild and
 * returns 0 or an errno / a code of its own. Ends the test with SKIP or BROK itself when
 * the check cannot be made. */
void tst_widen_check(const char *node, uid_t uid, int (*use)(const char *node), struct tst_widen *out);

#endif
