/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/vmpck - what a wiped VMPCK does to /dev/sev-guest (docs/kernel-abi.md §2.3 step 10,
 * checklist "Sticky failure mode"): a request the firmware rejects out of band (here a
 * msg_version no firmware defines) fails with EIO and the driver wipes the VMPCK; from then
 * on EVERY request, whatever its command and however valid, fails with ENOTTY ("VMPCK is
 * disabled"), whichever command the firmware rejected (it rotates over the profiles), the configfs-tsm sev_guest provider's reports included, until the guest
 * reboots. The check sits before dispatch in 6.1 .. 6.12 (snp_guest_ioctl(),
 * drivers/virt/coco/sev-guest/sev-guest.c 6.12) and inside the send path from the
 * snp_msg_desc rework on (snp_send_guest_request(), arch/x86/coco/sev/core.c 7.x): either
 * way no command is exempt.
 *
 * This ends the device for the boot, so it is its own suite, the last one a run starts
 * (teeabi-run's suite order; the kernel lane runs the suites in name order, and "vmpck"
 * sorts last), and its one test is destructive: on a real guest only with
 * --allow-destructive, on the mock always (the only place it can run every time).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "../common/inonly.h"
#include "../common/tst.h"
#include "../common/util.h"

#define DEV TEEABI_DEV_SEV_GUEST

/* One request of cmd with valid arguments (a 16 KiB certificate buffer for EXT_REPORT) and
 * msg_version mv; returns the ioctl's errno (0 = success). */
static int request(int fd, unsigned long cmd, uint8_t mv)
{
	static struct teeabi_snp_ext_report_req ereq; /* GET_REPORT reads its first 96 bytes */
	static struct teeabi_snp_derived_key_req kreq;
	static struct teeabi_snp_report_resp resp;
	static uint8_t certs[TEEABI_SNP_CERTS_MAX];
	memset(&ereq, 0, sizeof(ereq));
	memset(&kreq, 0, sizeof(kreq));
	u_fill_pattern(ereq.data.user_data, 64);
	ereq.data.vmpl = kreq.vmpl = tst_profile->sev_vmpl;
	ereq.certs_address = (uint64_t)(uintptr_t)certs;
	ereq.certs_len = sizeof(certs);
	struct teeabi_snp_guest_request_ioctl h = {
		.msg_version = mv,
		.req_data = (uint64_t)(uintptr_t)(cmd == TEEABI_SNP_GET_DERIVED_KEY ? (void *)&kreq : (void *)&ereq),
		.resp_data = (uint64_t)(uintptr_t)&resp,
	};
	errno = 0;
	return u_sev_ioctl(fd, cmd, &h) < 0 ? errno : 0;
}

/* One request of cmd with msg_version 1 and a null req_data (which 0) or resp_data (which 1),
 * the other pointer valid; returns the ioctl's errno. */
static int request_null(int fd, unsigned long cmd, int which)
{
	static uint8_t buf[TEEABI_SNP_CERTS_MAX];
	static struct teeabi_snp_ext_report_req ereq;
	memset(&ereq, 0, sizeof(ereq));
	ereq.certs_address = (uint64_t)(uintptr_t)buf;
	ereq.certs_len = sizeof(buf);
	struct teeabi_snp_guest_request_ioctl h = {
		.msg_version = 1,
		.req_data = which ? (uint64_t)(uintptr_t)&ereq : 0,
		.resp_data = which ? 0 : (uint64_t)(uintptr_t)buf,
	};
	errno = 0;
	return u_sev_ioctl(fd, cmd, &h) < 0 ? errno : 0;
}

/* Which command the firmware rejects (0 GET_REPORT, 1 GET_DERIVED_KEY, 2 GET_EXT_REPORT): the
 * sum of the profile name's bytes mod 3, so that over the SNP profiles of the mock matrix
 * each command is the failing one somewhere (a wipe lasts the boot: one per run). */
static size_t failing_command(void)
{
	unsigned sum = 0;
	for (const char *c = tst_profile->name; *c; c++)
		sum += (unsigned char)*c;
	return sum % 3;
}

/* One configfs-tsm report (entry, inblob, privlevel at the floor, outblob read): 0 when a
 * report came back, else the errno of the failing step. The entry is removed. */
static int tsm_report(void)
{
	char ent[512], lvl[16];
	uint8_t rd[64], *out = malloc(64 * 1024);
	if (!out)
		tst_brk(TST_BROK, "malloc");
	u_fill_pattern(rd, 64);
	int rc = u_tsm_mkentry(ent, sizeof(ent));
	if (!rc) {
		int n = snprintf(lvl, sizeof(lvl), "%u\n", tst_profile->privlevel_floor);
		rc = u_tsm_write(ent, "inblob", rd, 64, NULL);
		if (!rc && tst_profile->privlevel_floor)
			rc = u_tsm_write(ent, "privlevel", lvl, (size_t)n, NULL);
		ssize_t got = rc ? rc : u_tsm_read(ent, "outblob", out, 64 * 1024);
		rc = got < 0 ? (int)got : 0;
		u_tsm_rmentry(ent);
	}
	free(out);
	return -rc;
}

static void t_wipe(void)
{
	static const struct { unsigned long cmd; const char *name; } cmds[] = {
		{ TEEABI_SNP_GET_REPORT, "GET_REPORT" }, { TEEABI_SNP_GET_DERIVED_KEY, "GET_DERIVED_KEY" },
		{ TEEABI_SNP_GET_EXT_REPORT, "GET_EXT_REPORT" },
	};
	int fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		tst_brk(TST_FAIL, "open(%s, O_RDWR): %s", DEV, tst_errno_name(errno));
	/* before: every command works (else the wipe below proves nothing) */
	for (size_t i = 0; i < 3; i++) {
		int e = request(fd, cmds[i].cmd, 1);
		if (e)
			tst_brk(TST_FAIL, "%s failed before any wipe: %s", cmds[i].name, tst_errno_name(e));
	}
	bool has_tsm = tst_profile->tsm_provider == TEEABI_TSM_SEV && tst_exists(TEEABI_TSM_REPORT_ROOT);
	if (has_tsm) {
		int te = tsm_report();
		if (te)
			tst_brk(TST_FAIL, "configfs-tsm outblob failed before any wipe: %s", tst_errno_name(te));
	}
	/* the failing command: each of the three wipes the key (the kernel wipes on every firmware
	 * error but INVALID_LEN, whatever the message: snp_send_guest_request(),
	 * arch/x86/coco/sev/core.c 7.x; 6.12 drivers/virt/coco/sev-guest/sev-guest.c), but a wipe
	 * lasts the boot, so one run can try one: it rotates over the profiles (failing_command()) */
	size_t fc = failing_command();
	int e = request(fd, cmds[fc].cmd, 0xff);
	if (e != EIO)
		tst_brk(TST_FAIL, "%s with msg_version 255 returned %s, want EIO (the firmware rejects the message "
			"out of band; the kernel forwards any non-zero msg_version)", cmds[fc].name, e ? tst_errno_name(e) : "success");
	tst_info("the firmware-rejected request was a %s (the command rotates over the profiles)", cmds[fc].name);
	for (size_t i = 0; i < 3; i++) {
		e = request(fd, cmds[i].cmd, 1);
		if (e != ENOTTY)
			tst_fail("%s after the VMPCK was wiped (by a rejected %s) returned %s, want ENOTTY (every request fails "
				 "until reboot)", cmds[i].name, cmds[fc].name, e ? tst_errno_name(e) : "success");
	}
	/* where the check sits (profile sev_vmpck_check_early, lib/profile.c): before the dispatch
	 * (6.1 .. 6.12 snp_guest_ioctl()) a null req_data or resp_data gets ENOTTY, in the send path
	 * (7.x) the command's own argument check answers first: EINVAL (get_report(),
	 * get_derived_key(), get_ext_report() each refuse a null req_data or resp_data); every
	 * command, each pointer */
	int want = tst_profile->sev_vmpck_check_early ? ENOTTY : EINVAL;
	for (size_t i = 0; i < 3; i++)
		for (int which = 0; which < 2; which++) {
			e = request_null(fd, cmds[i].cmd, which);
			if (e != want)
				tst_fail("%s with a null %s after the wipe returned %s, want %s (the VMPCK check sits %s)",
					 cmds[i].name, which ? "resp_data" : "req_data", e ? tst_errno_name(e) : "success",
					 tst_errno_name(want),
					 want == ENOTTY ? "before the command dispatch on this kernel"
							: "after the argument checks on this kernel");
		}
	close(fd);
	/* a new open does not bring the key back either */
	fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		tst_brk(TST_FAIL, "open(%s, O_RDWR) after the wipe: %s", DEV, tst_errno_name(errno));
	e = request(fd, TEEABI_SNP_GET_DERIVED_KEY, 1);
	if (e != ENOTTY)
		tst_fail("GET_DERIVED_KEY on a new fd after the wipe returned %s, want ENOTTY", e ? tst_errno_name(e) : "success");
	close(fd);
	/* the configfs-tsm sev_guest provider sends through the same (wiped) key */
	const char *also = "";
	if (has_tsm) {
		int te = tsm_report();
		if (te == 0)
			tst_fail("configfs-tsm outblob after the VMPCK was wiped gave a report; the sev_guest provider sends "
				 "through the same key and must fail");
		else
			tst_info("configfs-tsm outblob after the wipe: %s", tst_errno_name(te));
		also = ", and so does a configfs-tsm outblob read";
	}
	if (!tst_fail_count())
		tst_pass("after an out-of-band firmware error (EIO) of a %s, GET_REPORT, GET_DERIVED_KEY and GET_EXT_REPORT "
			 "fail with ENOTTY, on a new fd too%s; with a null req_data or resp_data each fails with %s", cmds[fc].name,
			 also, tst_errno_name(want));
}

static const struct tst_test tests[] = {
	{ .name = "vmpck.wipe.sticky_every_command", .fn = t_wipe, .needs_dev = DEV, .destructive = true },
	{ 0 },
};

TST_SUITE("vmpck", tests)
