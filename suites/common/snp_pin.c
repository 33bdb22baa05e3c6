/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/snp_pin.c - see snp_pin.h. The facts: AMD SEV Secure Nested Paging Firmware
 * ABI (56860), ATTESTATION_REPORT, SNP_LAUNCH_START and SNP_COMMIT; formats.md §4.1-§4.5.
 */
#include "snp_pin.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/bytes.h"
#include "teeabi/profile.h"
#include "teeabi/snp.h"
#include "inonly.h"
#include "tst.h"

/* The reserved ranges of the report, each with the parser's warning bit
 * (lib/snp_report.c teeabi_snp_report_parse()): which bytes are reserved depends on the
 * VERSION (formats.md §4.5: v2 has no CPUID row, v2-v4 no mitigation vectors), the parser
 * already chose the ranges by it. */
static const struct { uint32_t bit; const char *range; } mbz[] = {
	{ TEEABI_W_SNP_MBZ_SIGNER, "SIGNER_INFO bits 31:5 or 0x04C..0x04F" },
	{ TEEABI_W_SNP_MBZ_CPUID, "0x188..0x19F (v2) / 0x18B..0x19F (v3+)" },
	{ TEEABI_W_SNP_MBZ_FW, "0x1EB / 0x1EF (after CURRENT_ and COMMITTED_MAJOR)" },
	{ TEEABI_W_SNP_MBZ_MIT, "0x1F8..0x207 (the mitigation vectors exist from v5 on)" },
	{ TEEABI_W_SNP_MBZ_TAIL, "0x208..0x29F" },
	{ TEEABI_W_SNP_MBZ_SIG, "the signature's R/S bytes 48..71 or 0x330..0x49F" },
};

static int cmp_version(uint8_t amaj, uint8_t amin, uint8_t abld, uint8_t bmaj, uint8_t bmin, uint8_t bbld)
{
	if (amaj != bmaj)
		return amaj < bmaj ? -1 : 1;
	if (amin != bmin)
		return amin < bmin ? -1 : 1;
	return abld == bbld ? 0 : abld < bbld ? -1 : 1;
}

/* Round 5, 161: every TCB_VERSION of the report is a TCB some firmware ran with. CURRENT_TCB
 * and COMMITTED_TCB are the running and the committed firmware's, REPORTED_TCB the one the
 * host chose for the VCEK (SNP_CONFIG, never above COMMITTED), LAUNCH_TCB "the CurrentTcb at
 * the time the guest was launched or imported" (56860, ATTESTATION_REPORT): each is the
 * SVNs of a running SNP firmware, so none is all zero (every real report in
 * vectors/snp-report has bootloader, SNP and microcode SVNs above 0 in all four), and each
 * one's reserved bytes are zero in the product's layout (formats.md §4.2: bytes 2..5 on
 * Milan/Genoa, 4..6 on Turin). LAUNCH_TCB is not ordered against the others (a live
 * firmware update moves CURRENT and COMMITTED after the launch); it is the guest's for its
 * lifetime (u_snp_same_guest). */
static int pin_tcbs(const char *what, const struct teeabi_snp_report *sr)
{
	const struct { const struct teeabi_snp_tcb *t; const char *name; } tcb[] = {
		{ &sr->current_tcb, "CURRENT_TCB (0x038)" }, { &sr->reported_tcb, "REPORTED_TCB (0x180)" },
		{ &sr->committed_tcb, "COMMITTED_TCB (0x1E0)" }, { &sr->launch_tcb, "LAUNCH_TCB (0x1F0)" },
	};
	int fails = 0;
	for (size_t i = 0; i < sizeof(tcb) / sizeof(tcb[0]); i++) {
		uint64_t raw = tcb[i].t->raw;
		/* reserved: bytes 2..5 (legacy) or 4..6 (Turin) of the u64 LE */
		uint64_t rsvd = tcb[i].t->turin ? 0x00FFFFFF00000000ULL : 0x0000FFFFFFFF0000ULL;
		if (raw == 0) {
			tst_fail("%s: %s is 0: no SVN at all, not the TCB of a firmware that runs SNP guests (56860, "
				 "ATTESTATION_REPORT)", what, tcb[i].name);
			fails++;
		} else if (raw & rsvd) {
			tst_fail("%s: %s 0x%016llx has reserved bytes set in the %s layout (formats.md §4.2)", what, tcb[i].name,
				 (unsigned long long)raw, tcb[i].t->turin ? "Turin (bytes 4..6)" : "Milan/Genoa (bytes 2..5)");
			fails++;
		}
	}
	return fails;
}

/* Round 5, 162 and 169: each SIGNER_INFO flag against what the report carries (56860,
 * ATTESTATION_REPORT; formats.md §4.1).
 *  - MASK_CHIP_KEY (bit 1) is the platform's SNP_CONFIG MaskChipKey: "whether attestation
 *    reports are signed or not" (include/uapi/linux/psp-sev.h, struct
 *    sev_user_data_snp_status, 6.12 and 7.3): when set the firmware writes zeroes instead of
 *    a signature. So MASK_CHIP_KEY 1, or SIGNING_KEY 7 (none), goes with an all-zero
 *    SIGNATURE, and a report signed by a VCEK or VLEK has MASK_CHIP_KEY 0 and a non-zero one.
 *  - AUTHOR_KEY_EN (bit 0) says that AUTHOR_KEY_DIGEST holds the digest of the author key
 *    of the ID block (SNP_LAUNCH_FINISH AUTH_KEY_EN; GCTX.AuthorKeyEn): 0 means there is no
 *    author key and the digest is zero. An author key certifies an ID key, so AUTHOR_KEY_EN 1
 *    goes with a non-zero ID_KEY_DIGEST. (Whether the digest is filled when the bit is 1 is
 *    not pinned: the ABI's text for AUTHOR_KEY_DIGEST reads "Zeroes if AUTHOR_KEY_EN is 1",
 *    which peers note as backwards; both readings agree on the bit-0 case checked here.) */
static int pin_signer(const char *what, const struct teeabi_snp_report *sr)
{
	int fails = 0;
	bool sig_zero = teeabi_all_zero(sr->sig_r, 72) && teeabi_all_zero(sr->sig_s, 72);
	bool unsigned_flag = sr->signer.mask_chip_key || sr->signer.signing_key == 7;
	if (unsigned_flag && !sig_zero) {
		tst_fail("%s: SIGNER_INFO 0x%x says the report is not signed (MASK_CHIP_KEY %d, SIGNING_KEY %u), but SIGNATURE "
			 "(0x2A0) is not zero: a masked chip key means zeroes instead of a signature", what, sr->signer_info,
			 sr->signer.mask_chip_key, sr->signer.signing_key);
		fails++;
	} else if (!unsigned_flag && sig_zero) {
		tst_fail("%s: SIGNER_INFO 0x%x names a signing key (SIGNING_KEY %u, MASK_CHIP_KEY 0) but SIGNATURE (0x2A0) is "
			 "all zero", what, sr->signer_info, sr->signer.signing_key);
		fails++;
	}
	if (!sr->signer.author_key_en && !teeabi_all_zero(sr->author_key_digest, 48)) {
		tst_fail("%s: AUTHOR_KEY_EN (SIGNER_INFO bit 0) is 0, but AUTHOR_KEY_DIGEST (0x110) is %s: without an author "
			 "key the digest is zero", what, tst_hex(sr->author_key_digest, 48));
		fails++;
	}
	if (sr->signer.author_key_en && teeabi_all_zero(sr->id_key_digest, 48)) {
		tst_fail("%s: AUTHOR_KEY_EN is 1 but ID_KEY_DIGEST (0x0E0) is zero: an author key certifies the ID key of an "
			 "ID block", what);
		fails++;
	}
	return fails;
}

int u_snp_pin_values(const char *what, const uint8_t *r, const struct teeabi_snp_report *sr)
{
	int fails = 0;
	for (size_t i = 0; i < sizeof(mbz) / sizeof(mbz[0]); i++)
		if (sr->warnings & mbz[i].bit) {
			tst_fail("%s: reserved bytes of the v%u layout are not zero: %s (ATTESTATION_REPORT, formats.md §4.1)",
				 what, sr->version, mbz[i].range);
			fails++;
		}
	/* v3 added CPUID_FAM_ID/MOD_ID/STEP (formats.md §4.5): a v3+ report from the firmware has
	 * the chip's family there (0x19 Milan/Genoa, 0x1A Turin), never 0 */
	if (sr->version >= 3 && sr->cpuid_fam == 0) {
		tst_fail("%s: VERSION %u but CPUID_FAM_ID at 0x188 is 0 (the v3+ layout carries the chip's CPUID)", what,
			 sr->version);
		fails++;
	}
	if (sr->signer.signing_key >= 2 && sr->signer.signing_key <= 6) {
		tst_fail("%s: SIGNER_INFO.SIGNING_KEY is %u, a reserved value (0 VCEK, 1 VLEK, 7 none)", what,
			 sr->signer.signing_key);
		fails++;
	}
	/* SNP_LAUNCH_START refuses a POLICY whose bit 17 (reserved, must be one) is clear, so no
	 * running guest has one (formats.md §4.3) */
	if (!((sr->policy >> 17) & 1)) {
		tst_fail("%s: POLICY 0x%llx has bit 17 clear (reserved, must be 1: SNP_LAUNCH_START refuses it)", what,
			 (unsigned long long)sr->policy);
		fails++;
	}
	/* POLICY.DEBUG (bit 19) lets the hypervisor decrypt and read the guest (SNP_DBG_DECRYPT):
	 * the profile says what the image's guests run with, production (0) unless it says else */
	int want_debug = tst_profile ? tst_profile->snp_debug : 0;
	if (want_debug >= 0 && sr->policy_bits.debug != (want_debug == 1)) {
		tst_fail("%s: POLICY 0x%llx has DEBUG (bit 19) %s, the profile's guests run with DEBUG %d (%s)", what,
			 (unsigned long long)sr->policy, sr->policy_bits.debug ? "set" : "clear", want_debug,
			 want_debug ? "a debug guest" : "production: the hypervisor must not be able to read the guest");
		fails++;
	}
	/* SNP_LAUNCH_START: POLICY.ABI_MAJOR.ABI_MINOR is the lowest firmware ABI the guest
	 * accepts; a launch on older firmware fails, and the firmware is never rolled below the
	 * COMMITTED version, so the running firmware is at least the policy's ABI */
	if (cmp_version(sr->policy_bits.abi_major, sr->policy_bits.abi_minor, 0, sr->current_major, sr->current_minor, 0) > 0) {
		tst_fail("%s: POLICY asks for firmware ABI %u.%u, the report's CURRENT firmware is %u.%u (SNP_LAUNCH_START "
			 "refuses such a launch)", what, sr->policy_bits.abi_major, sr->policy_bits.abi_minor,
			 sr->current_major, sr->current_minor);
		fails++;
	}
	/* SNP_LAUNCH_START fails when SMT is enabled on the platform (PLATFORM_INFO.SMT_EN) and
	 * the policy does not allow SMT */
	if ((sr->platform_info & 1) && !sr->policy_bits.smt) {
		tst_fail("%s: PLATFORM_INFO 0x%llx says SMT is enabled, but POLICY 0x%llx does not allow SMT (bit 16): the "
			 "firmware would not have launched the guest", what, (unsigned long long)sr->platform_info,
			 (unsigned long long)sr->policy);
		fails++;
	}
	/* COMMITTED is the firmware's rollback floor (SNP_COMMIT; DOWNLOAD_FIRMWARE_EX refuses an
	 * image below it): the running (CURRENT) firmware and TCB are never below it. The bytes
	 * are BUILD, MINOR, MAJOR at 0x1E8 and 0x1EC (formats.md §4.1). */
	if (cmp_version(sr->committed_major, sr->committed_minor, sr->committed_build, sr->current_major, sr->current_minor,
			sr->current_build) > 0) {
		tst_fail("%s: COMMITTED firmware %u.%u.%u (0x1EC..0x1EE: build %u, minor %u, major %u) is above the CURRENT "
			 "firmware %u.%u.%u (0x1E8..0x1EA): the committed version is the rollback floor of the running one",
			 what, sr->committed_major, sr->committed_minor, sr->committed_build, r[0x1EC], r[0x1ED], r[0x1EE],
			 sr->current_major, sr->current_minor, sr->current_build);
		fails++;
	}
	const struct teeabi_snp_tcb *c = &sr->current_tcb, *k = &sr->committed_tcb;
	if (k->fmc > c->fmc || k->bootloader > c->bootloader || k->tee > c->tee || k->snp > c->snp ||
	    k->microcode > c->microcode) {
		tst_fail("%s: COMMITTED_TCB 0x%016llx has an SVN above CURRENT_TCB 0x%016llx (fmc %u/%u, bootloader %u/%u, "
			 "tee %u/%u, snp %u/%u, microcode %u/%u)", what, (unsigned long long)k->raw,
			 (unsigned long long)c->raw, k->fmc, c->fmc, k->bootloader, c->bootloader, k->tee, c->tee, k->snp, c->snp,
			 k->microcode, c->microcode);
		fails++;
	}
	fails += pin_tcbs(what, sr) + pin_signer(what, sr);
	/* Turin: CHIP_ID is the chip's 8-byte ID, bytes 8..63 zero (formats.md §4.1, CHIP_ID row) */
	if (sr->version >= 3 && sr->cpuid_fam == 0x1A && !teeabi_all_zero(sr->chip_id + 8, 56)) {
		tst_fail("%s: a Turin report (CPUID_FAM_ID 0x1A) with CHIP_ID bytes 8..63 not zero: %s", what,
			 tst_hex(sr->chip_id + 8, 56));
		fails++;
	}
	return fails;
}

#define SAME(field, n, name)                                                                                        \
	do {                                                                                                        \
		if (memcmp(ref->field, sr->field, (n))) {                                                           \
			tst_fail("%s: %s differs from the guest's other report (%s, was %s): it is the guest's for its " \
				 "lifetime", what, name, tst_hex(sr->field, (n)), tst_hex(ref->field, (n)));         \
			fails++;                                                                                    \
		}                                                                                                   \
	} while (0)

int u_snp_same_guest(const char *what, const struct teeabi_snp_report *ref, const struct teeabi_snp_report *sr)
{
	int fails = 0;
	/* Set at launch (SNP_LAUNCH_START / SNP_LAUNCH_FINISH and its ID block) or by the chip,
	 * none can change while the guest runs; REPORT_ID is "the guest's report ID", generated
	 * once at launch (ATTESTATION_REPORT) */
	SAME(family_id, 16, "FAMILY_ID (0x010)");
	SAME(image_id, 16, "IMAGE_ID (0x020)");
	SAME(measurement, 48, "MEASUREMENT (0x090)");
	SAME(host_data, 32, "HOST_DATA (0x0C0)");
	SAME(id_key_digest, 48, "ID_KEY_DIGEST (0x0E0)");
	SAME(author_key_digest, 48, "AUTHOR_KEY_DIGEST (0x110)");
	SAME(report_id, 32, "REPORT_ID (0x140)");
	SAME(report_id_ma, 32, "REPORT_ID_MA (0x160)");
	SAME(chip_id, 64, "CHIP_ID (0x1A0)");
	if (ref->guest_svn != sr->guest_svn || ref->policy != sr->policy ||
	    ref->signer.author_key_en != sr->signer.author_key_en || ref->signer.mask_chip_key != sr->signer.mask_chip_key ||
	    ref->launch_tcb.raw != sr->launch_tcb.raw || ref->cpuid_fam != sr->cpuid_fam || ref->cpuid_mod != sr->cpuid_mod ||
	    ref->cpuid_step != sr->cpuid_step) {
		tst_fail("%s: GUEST_SVN %u, POLICY 0x%llx, AUTHOR_KEY_EN %d, MASK_CHIP_KEY %d, LAUNCH_TCB 0x%016llx or CPUID "
			 "%02x %02x %02x differ from the guest's other report (%u, 0x%llx, %d, %d, 0x%016llx, %02x %02x %02x)",
			 what, sr->guest_svn, (unsigned long long)sr->policy, sr->signer.author_key_en, sr->signer.mask_chip_key,
			 (unsigned long long)sr->launch_tcb.raw, sr->cpuid_fam, sr->cpuid_mod, sr->cpuid_step, ref->guest_svn,
			 (unsigned long long)ref->policy, ref->signer.author_key_en, ref->signer.mask_chip_key,
			 (unsigned long long)ref->launch_tcb.raw, ref->cpuid_fam, ref->cpuid_mod, ref->cpuid_step);
		fails++;
	}
	return fails;
}

int u_snp_report_at(const char *node, struct teeabi_snp_report_resp *resp)
{
	int fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	static struct teeabi_snp_report_req req;
	struct teeabi_snp_guest_request_ioctl h;
	memset(&req, 0, sizeof(req));
	memset(resp, 0, sizeof(*resp));
	memset(&h, 0, sizeof(h));
	req.vmpl = tst_profile ? tst_profile->sev_vmpl : 0;
	h.msg_version = 1;
	h.req_data = (uint64_t)(uintptr_t)&req;
	h.resp_data = (uint64_t)(uintptr_t)resp;
	int rc = u_sev_ioctl(fd, TEEABI_SNP_GET_REPORT, &h);
	int e = errno;
	close(fd);
	return rc < 0 ? -e : 0;
}

int u_snp_dev_report(uint8_t out[1184])
{
	static struct teeabi_snp_report_resp resp;
	int e = u_snp_report_at(TEEABI_DEV_SEV_GUEST, &resp);
	if (e)
		return e;
	struct teeabi_snp_msg_report_rsp m;
	if (teeabi_snp_msg_report_rsp_parse(resp.data, sizeof(resp.data), &m) != TEEABI_OK || m.report.len != 1184)
		return -EPROTO;
	memcpy(out, m.report.p, 1184);
	return 0;
}

int u_snp_same_guest_as_dev(const char *what, const uint8_t *r, size_t len)
{
	uint8_t ref[1184];
	struct teeabi_snp_report a, b;
	int e = u_snp_dev_report(ref);
	if (e) {
		tst_info("%s: not compared with an SNP_GET_REPORT of %s: %s", what, TEEABI_DEV_SEV_GUEST, strerror(-e));
		return 0;
	}
	if (teeabi_snp_report_parse(ref, sizeof(ref), 0, &a) != TEEABI_OK || teeabi_snp_report_parse(r, len, 0, &b) != TEEABI_OK) {
		tst_info("%s: not compared with an SNP_GET_REPORT: a report does not parse (judged elsewhere)", what);
		return 0;
	}
	int fails = u_snp_same_guest(what, &a, &b);
	if (!fails)
		tst_pass("%s: the guest's lifetime fields are those of an SNP_GET_REPORT of %s", what, TEEABI_DEV_SEV_GUEST);
	return fails;
}
