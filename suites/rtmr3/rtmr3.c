/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/rtmr3 - RTMR3 extension through the image's native method and dstack-style event
 * replay (docs/dstack-os.md §3.5, §8; docs/kernel-abi.md §1.4; dstack mod-tdx-guest).
 *
 * The native method comes from the profile (rtmr_extend): the dstack module's
 * EXTEND_RTMR ioctl (0x80315403, index 3) on 0.5.x, the measurements/rtmr3:sha384 sysfs
 * file on 0.6 / 6.16+. Verified (all destructive: an extend lasts until reboot):
 *  - after one extend the next TDREPORT has RTMR3 = SHA-384(old || digest) and its hashes
 *    verify; where the image has a quote path (configfs-tsm tdx_guest) a fresh quote
 *    carries the same RTMR0..3, verifies, and echoes its report data;
 *  - replay of a dstack-style runtime event log: each event's V1 digest
 *    SHA-384(LE32(0x08000001) || ":" || name || ":" || payload) (computed with
 *    teeabi_dstack_event_digest_v1, cross-checked against OpenSSL here) is extended
 *    natively; teeabi_rtmr_extend replay from the starting RTMR3 reproduces the final
 *    RTMR3 of the TDREPORT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "teeabi/abi.h"
#include "teeabi/dstack.h"
#include "teeabi/tdx.h"
#include "../common/inonly.h"
#include "../common/tst.h"
#include "../common/util.h"

#define RTMR3_OFF (TDREPORT_OFF_RTMR0 + 3 * 48)

static const char *has_native_extend(const struct teeabi_profile *p)
{
	return p->rtmr_extend == TEEABI_RTMR_EXTEND_NONE ? "image has no native RTMR extend" : NULL;
}

static const char *method_name(void)
{
	return tst_profile->rtmr_extend == TEEABI_RTMR_EXTEND_IOCTL ? "EXTEND_RTMR ioctl" : "measurements/rtmr3:sha384";
}

/* Extend RTMR3 by digest via the profile's method. Reports FAIL and returns -1 on error. */
static int native_extend(const uint8_t digest[48])
{
	if (tst_profile->rtmr_extend == TEEABI_RTMR_EXTEND_IOCTL) {
		int fd = open(TEEABI_DEV_TDX_GUEST, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			tst_fail("open %s: %s", TEEABI_DEV_TDX_GUEST, tst_errno_name(errno));
			return -1;
		}
		struct teeabi_tdx_extend_rtmr_req req;
		memcpy(req.data, digest, 48);
		req.index = 3;
		errno = 0;
		int rc = u_tdx_ioctl(fd, TEEABI_TDX_CMD_EXTEND_RTMR, &req);
		int e = errno;
		close(fd);
		if (rc != 0) {
			tst_fail("EXTEND_RTMR index 3 failed: %s", rc < 0 ? tst_errno_name(e) : "non-zero TDCALL status");
			return -1;
		}
		return 0;
	}
	char p[256];
	snprintf(p, sizeof(p), "%s/rtmr3:sha384", TEEABI_TDX_MEASUREMENTS_DIR);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		tst_fail("open %s: %s", p, tst_errno_name(errno));
		return -1;
	}
	ssize_t w = write(fd, digest, 48);
	int e = errno;
	close(fd);
	if (w != 48) {
		tst_fail("48-byte write to rtmr3:sha384 returned %zd (%s)", w, w < 0 ? tst_errno_name(e) : "short");
		return -1;
	}
	return 0;
}

static void report_or_brk(uint8_t rd[64], uint8_t rep[1024])
{
	u_fill_pattern(rd, 64);
	int rc = u_tdx_report(rd, rep);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 failed: %s", tst_errno_name(-rc));
}

/* A quote through configfs-tsm, when the image has that path. Returns malloc'd or NULL. */
static uint8_t *tsm_quote(const uint8_t rd[64], size_t *len)
{
	if (tst_profile->tsm_provider != TEEABI_TSM_TDX || !tst_exists(TEEABI_TSM_REPORT_ROOT))
		return NULL;
	char e[512];
	int rc = u_tsm_mkentry(e, sizeof(e));
	if (rc) {
		tst_fail("mkdir of a report entry for the quote failed: %s", tst_errno_name(-rc));
		return NULL;
	}
	uint8_t *q = NULL;
	rc = u_tsm_write(e, "inblob", rd, 64, NULL);
	if (rc) {
		tst_fail("inblob write failed: %s", tst_errno_name(-rc));
		goto out;
	}
	q = malloc(256 * 1024);
	if (!q)
		tst_brk(TST_BROK, "malloc");
	ssize_t n = u_tsm_read(e, "outblob", q, 256 * 1024);
	if (n < 0) {
		tst_fail("outblob read failed: %s", tst_errno_name((int)-n));
		free(q);
		q = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	u_tsm_rmentry(e);
	return q;
}

static void t_native_extend(void)
{
	uint8_t rd[64], rep[1024], old[48], digest[48], want[48];
	report_or_brk(rd, rep);
	memcpy(old, rep + RTMR3_OFF, 48);
	u_fill_pattern(digest, 48);
	u_sha384_extend(want, old, digest);
	if (native_extend(digest))
		return;
	report_or_brk(rd, rep);
	if (memcmp(rep + RTMR3_OFF, want, 48))
		tst_fail("after one extend via %s, TDREPORT RTMR3 is %s, want SHA-384(old || digest) = %s", method_name(),
			 tst_hex(rep + RTMR3_OFF, 48), tst_hex(want, 48));
	teeabi_err he = teeabi_tdreport_verify_hashes(rep, sizeof(rep));
	if (he != TEEABI_OK)
		tst_fail("TDREPORT hashes invalid after the extend: %s (%s)", teeabi_err_name(he), teeabi_err_msg(he));
	size_t qlen = 0;
	uint8_t qrd[64];
	u_fill_pattern(qrd, 64);
	uint8_t *q = tsm_quote(qrd, &qlen);
	if (q) {
		uint8_t rtmr[4][48];
		memcpy(rtmr, rep + TDREPORT_OFF_RTMR0, sizeof(rtmr));
		u_judge_tdx_quote("quote after the extend", q, qlen, qrd, (const uint8_t (*)[48])rtmr);
		tst_save_evidence("rtmr3-quote.bin", q, qlen);
		free(q);
	} else if (!tst_fail_count()) {
		tst_info("image has no quote path in the kernel (no configfs-tsm tdx_guest provider): TDREPORT only");
	}
	if (!tst_fail_count())
		tst_pass("%s: RTMR3 = SHA-384(old || digest) in the next TDREPORT%s", method_name(), q ? " and quote" : "");
}


static void t_replay(void)
{
	static const struct { const char *name; const char *payload; } ev[] = {
		{ "system-preparing", "" },
		{ "app-id", "\x3a\x9b\x10\x44\x05\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00\x01\x02\x03\x04" },
		{ "compose-hash", "teeabi-rtmr3-replay" },
		{ "instance-id", "\x00\x01\x02" },
		{ "boot-mr-done", "" },
	};
	uint8_t rd[64], rep[1024], start[48], replay[48], d[48], ref[48];
	report_or_brk(rd, rep);
	memcpy(start, rep + RTMR3_OFF, 48);
	memcpy(replay, start, 48);
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		size_t plen = strlen(ev[i].payload);
		if (i == 3)
			plen = 3; /* a payload with a NUL byte */
		teeabi_dstack_event_digest_v1(d, ev[i].name, (const uint8_t *)ev[i].payload, plen);
		u_v1_digest(ref, ev[i].name, (const uint8_t *)ev[i].payload, plen);
		if (memcmp(d, ref, 48))
			tst_brk(TST_BROK, "teeabi_dstack_event_digest_v1 disagrees with the V1 rule for event %s", ev[i].name);
		if (native_extend(d))
			return;
		teeabi_rtmr_extend(replay, d);
	}
	report_or_brk(rd, rep);
	if (memcmp(rep + RTMR3_OFF, replay, 48))
		tst_fail("replaying %zu V1 events from RTMR3 %s gives %s, but the TDREPORT says %s", sizeof(ev) / sizeof(ev[0]),
			 tst_hex(start, 48), tst_hex(replay, 48), tst_hex(rep + RTMR3_OFF, 48));
	else
		tst_pass("event-log replay (V1 digests) reproduces RTMR3 after %zu extends via %s", sizeof(ev) / sizeof(ev[0]),
			 method_name());
}

static const struct tst_test tests[] = {
	{ .name = "rtmr3.extend.native", .fn = t_native_extend, .needs_dev = TEEABI_DEV_TDX_GUEST,
	  .needs_profile = has_native_extend, .needs_root = true, .destructive = true, .timeout = 90 },
	{ .name = "rtmr3.replay.event_log_v1", .fn = t_replay, .needs_dev = TEEABI_DEV_TDX_GUEST,
	  .needs_profile = has_native_extend, .needs_root = true, .destructive = true },
	{ 0 },
};

TST_SUITE("rtmr3", tests)
