/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/tst.h - the results layer of the conformance suites (LTP / kselftest style).
 *
 * A suite is a table of struct tst_test plus TST_SUITE(area, tests). Each test runs in a
 * forked child (own process group) with a timeout, so a hung ioctl or a crash costs one
 * test. Every test ends in exactly one result:
 *
 *   PASS  the interface behaved as the kernel documents (for the profile's version);
 *   FAIL  the interface is there and behaves wrongly; the reason names the deviation;
 *   SKIP  a declared requirement is absent (no node, no provider, not root, destructive
 *         without --allow-destructive, profile lacks the feature), always with a reason;
 *   BROK  the test's own machinery broke (malloc, fork, timeout, crash, no result at all).
 *
 * Within a test, tst_pass()/tst_fail()/tst_skip()/tst_brok() may be called any number of
 * times; the test's result is the worst one: BROK > FAIL > PASS > SKIP. A test that reports
 * nothing is BROK. tst_info() writes a TAP diagnostic ("# ...").
 *
 * Requirements are declared in the table, never hand-rolled in a test (style.md). With
 * --require tdx|snp|tsm a missing interface of that kind turns into FAIL.
 *
 * Interfaces that vanish: the suite notes at its start which of /dev/tdx_guest,
 * /dev/sev-guest, the configfs-tsm report root, the measurements directory and every
 * needs_dev exist. One that existed and is gone (or whose stat fails, ENOTCONN from a dead
 * FUSE daemon) makes the test during which that was noticed BROK "<path> vanished during
 * the run", and every later test that needs it BROK too, never SKIP.
 *
 * Cleanup that must happen even when the child dies (configfs entries, a chmod'ed device
 * node) is registered with tst_cleanup_rmdir()/tst_cleanup_chmod() BEFORE the mkdir or
 * chmod it undoes: the parent performs whatever the child did not undo itself after the
 * child ends (also when the test is killed by a timeout or the suite by a signal).
 *
 * Signals: SIGTERM, SIGHUP, SIGINT, SIGQUIT and SIGPIPE (unless ignored when the suite
 * started) stop the run: the running test's process group is killed, its cleanups run,
 * it and every remaining test are BROK "interrupted by SIGTERM", TAP ends with
 * `Bail out! interrupted by SIGTERM`, the result files are written, exit 128+N.
 *
 * Output: TAP 13 on stdout (`ok N name # SKIP reason`, `not ok N name # FAIL reason`,
 * `not ok N name # error reason` for BROK, last line `# Totals: pass:P fail:F xfail:0
 * xpass:0 skip:S error:B (T s)`), plus --tap FILE and --junit FILE (FAIL as <failure>, BROK
 * as <error>, SKIP as <skipped message=...>), each written to a temporary name in the same
 * directory (created before the first test), every write checked, fsync, rename.
 * --list prints the names a run with the same -t selection would run.
 * Exit: 0 all pass (skips allowed), 1 any FAIL or BROK, 2 usage error, 3 a result file or
 * stdout could not be written (stderr names the path and errno), 4 everything skipped,
 * 128+N interrupted by signal N.
 */
#ifndef TEEABI_TST_H
#define TEEABI_TST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "teeabi/profile.h"

enum tst_result { TST_PASS = 0, TST_SKIP, TST_FAIL, TST_BROK, TST_INFO };

/* Interface kinds, for --require. */
#define TST_IF_TDX (1u << 0)
#define TST_IF_SNP (1u << 1)
#define TST_IF_TSM (1u << 2)

/* A profile predicate: return NULL when the test applies to the profile, else a short
 * reason ("profile has no measurements directory") that becomes the SKIP reason. */
typedef const char *(*tst_profile_pred)(const struct teeabi_profile *p);

struct tst_test {
	const char *name;           /* <area>.<fixture>.<case> */
	void (*fn)(void);
	const char *needs_dev;      /* path that must exist (node or dir), else SKIP "no <path>";
				     * and be usable by this user (open O_RDWR, a directory R_OK|X_OK),
				     * else SKIP "needs root or access to <path> (mode ... uid ...)" */
	const char *needs_dev2;     /* a second such path the test also opens */
	bool needs_tsm_root;        /* /sys/kernel/config/tsm/report exists */
	bool needs_tsm_provider;    /* ... and a provider is registered (mkdir probe) */
	bool needs_root;            /* euid 0 */
	bool needs_cvm;             /* a confidential guest: some TEE interface or CPU flag present */
	bool destructive;           /* changes machine state irreversibly: --allow-destructive */
	tst_profile_pred needs_profile;
	unsigned iface;             /* TST_IF_*; derived from needs_dev / needs_tsm_* when 0 */
	unsigned timeout;           /* seconds, 0 = default (30, or $TEEABI_TEST_TIMEOUT) */
};

/* ---------------------------------------------------------------- inside a test */
void tst_res_(enum tst_result r, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Report and end the test now (the child exits). */
void tst_brk_(enum tst_result r, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));

#define tst_pass(...) tst_res_(TST_PASS, __FILE__, __LINE__, __VA_ARGS__)
#define tst_fail(...) tst_res_(TST_FAIL, __FILE__, __LINE__, __VA_ARGS__)
#define tst_skip(...) tst_res_(TST_SKIP, __FILE__, __LINE__, __VA_ARGS__)
#define tst_brok(...) tst_res_(TST_BROK, __FILE__, __LINE__, __VA_ARGS__)
#define tst_info(...) tst_res_(TST_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define tst_brk(r, ...) tst_brk_((r), __FILE__, __LINE__, __VA_ARGS__)

/* Expectation helpers: one PASS or one FAIL each; return true when the check held. */
#define TST_EXPECT(cond, ...) \
	((cond) ? (tst_res_(TST_PASS, __FILE__, __LINE__, "%s", #cond), true) \
		: (tst_res_(TST_FAIL, __FILE__, __LINE__, __VA_ARGS__), false))

/* Number of FAILs reported so far by this test (to decide a final pass message). */
int tst_fail_count(void);

/* The profile the suite checks against, and the run options. */
extern const struct teeabi_profile *tst_profile;
extern bool tst_allow_destructive;

/* Register undo actions performed by the parent after the test (if still needed). Call
 * them before the mkdir / chmod: an entry must never exist that nobody will remove. */
void tst_cleanup_rmdir(const char *path);
void tst_cleanup_chmod(const char *path, mode_t mode);

/* Save a piece of evidence (quote, report) for the reports: writes
 * $TEEABI_EVIDENCE_DIR/<profile>__<name> when that variable is set. Best effort. */
void tst_save_evidence(const char *name, const void *buf, size_t len);

/* errno name ("EINVAL"), for messages. */
const char *tst_errno_name(int e);
/* Lowercase hex of up to 16 bytes followed by "..." when longer (static ring buffer). */
const char *tst_hex(const void *p, size_t n);

/* Small I/O helpers used by several suites. Return -errno on failure. */
ssize_t tst_read_file(const char *path, void *buf, size_t cap);   /* one open + read loop */
ssize_t tst_write_file(const char *path, const void *buf, size_t len); /* open O_WRONLY, one write, close */
bool tst_exists(const char *path);
/* Unique name for a configfs entry: "teeabi-<pid>-<n>". */
const char *tst_unique_name(char *out, size_t len);

/* ---------------------------------------------------------------- the suite */
int tst_main(int argc, char **argv, const char *area, const struct tst_test *tests);
#define TST_SUITE(area, tests) \
	int main(int argc, char **argv) { return tst_main(argc, argv, (area), (tests)); }

#endif
