/* SPDX-License-Identifier: Apache-2.0 */
/* suites/common/util.c - see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "teeabi/abi.h"
#include "teeabi/genuine.h"
#include "teeabi/profile.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "inonly.h"
#include "snp_pin.h"
#include "tst.h"

int u_tdx_report(const uint8_t rd[64], uint8_t out[1024])
{
	return u_tdx_report_at(TEEABI_DEV_TDX_GUEST, rd, out);
}

int u_tdx_report_at(const char *node, const uint8_t rd[64], uint8_t out[1024])
{
	int fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct teeabi_tdx_report_req req;
	memset(&req, 0, sizeof(req));
	memcpy(req.reportdata, rd, 64);
	int rc = u_tdx_ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &req);
	int e = errno;
	close(fd);
	if (rc < 0)
		return -e;
	memcpy(out, req.tdreport, 1024);
	return 0;
}

void u_fill_pattern(uint8_t *buf, size_t len)
{
	static uint32_t ctr;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t x = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)++ctr << 48) ^ 0x9E3779B97F4A7C15ULL;
	for (size_t i = 0; i < len; i++) {
		/* xorshift64: different bytes per position and per call */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)(x >> 24);
	}
	if (len)
		buf[0] |= 1; /* never all-zero */
}

size_t u_report_unwritten(const char *what, const bool *left, size_t n)
{
	size_t nleft = 0;
	for (size_t i = 0; i < n; i++) {
		if (!left[i])
			continue;
		size_t j = i;
		while (j < n && left[j])
			j++;
		tst_fail("%s left bytes [0x%03zx, 0x%03zx) unwritten (they kept each of the three canaries)", what, i, j);
		nleft += j - i;
		i = j;
	}
	return nleft;
}

int u_tsm_mkentry(char *path, size_t len)
{
	char name[64];
	tst_unique_name(name, sizeof(name));
	snprintf(path, len, "%s/%s", TEEABI_TSM_REPORT_ROOT, name);
	tst_cleanup_rmdir(path);
	if (mkdir(path, 0755) < 0)
		return -errno;
	return 0;
}

int u_tsm_rmentry(const char *path)
{
	return rmdir(path) < 0 ? -errno : 0;
}

int u_tsm_write(const char *entry, const char *attr, const void *buf, size_t len, int *werr)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", entry, attr);
	if (werr)
		*werr = 0;
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int first = 0;
	ssize_t w = write(fd, buf, len);
	if (w < 0) {
		first = -errno;
		if (werr)
			*werr = errno;
	} else if ((size_t)w != len) {
		first = -EIO;
		if (werr)
			*werr = EIO;
	}
	if (close(fd) < 0 && !first)
		first = -errno;
	return first;
}

ssize_t u_tsm_read(const char *entry, const char *attr, void *buf, size_t cap)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", entry, attr);
	return tst_read_file(p, buf, cap);
}

int u_tsm_generation(const char *entry, unsigned long *gen)
{
	char buf[64];
	ssize_t n = u_tsm_read(entry, "generation", buf, sizeof(buf) - 1);
	if (n < 0)
		return (int)n;
	buf[n] = 0;
	/* exactly sysfs_emit(buf, "%lu\n", write_generation) (generation_show, tsm.c 6.7-6.x,
	 * guest/report.c 7.x): decimal digits, no sign, blank or leading zero, one newline */
	char *end;
	errno = 0;
	unsigned long v = strtoul(buf, &end, 10);
	if (end == buf || errno || strcmp(end, "\n") != 0 || buf[0] < '0' || buf[0] > '9' || (buf[0] == '0' && end - buf > 1))
		return -EBADMSG;
	*gen = v;
	return 0;
}

ssize_t u_mr_read(const char *name, uint8_t *buf, size_t cap)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", TEEABI_TDX_MEASUREMENTS_DIR, name);
	return tst_read_file(p, buf, cap);
}

/* The fixed fields of a TDX quote, byte for byte in wire order: what every quote of Intel's
 * TD Quoting Enclave carries (formats.md §2.1 header, §3 QE report; all 12 real quotes of
 * vectors/tdx-quote agree). Header: QE_VENDOR_ID is the byte string 93 9a 72 33 f7 9c 4c a9
 * 94 0a 0d b3 95 7f 06 07 (Intel QVL's QuoteConstants.h; QVL validate() refuses any other),
 * never the GUID re-ordered as a guid_t. QE report: the fields Intel's published TD_QE
 * identity fixes: MRSIGNER, ISVPRODID 2, MISCSELECT 0 (mask ffffffff), ATTRIBUTES
 * 11000000000000000000000000000000 under the mask fbffffffffffffff0000000000000000, and the
 * reserved and KSS fields (ISVEXTPRODID, CONFIGID, CONFIGSVN, ISVFAMILYID) zero. Not judged:
 * the reserved header bytes 8..11 (formats.md: expose, do not reject), user_data (the QE's
 * own), MRENCLAVE and ISVSVN (they change with each QE release: 1..7 in the field, and a QE
 * newer than the collateral is graded by the highest level below it, so no value is wrong).
 * Returns the number of FAILs. */
static int judge_quote_fixed_fields(const char *what, const struct teeabi_tdx_quote *tq)
{
	static const uint8_t td_qe_mrsigner[32] = {
		0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7, 0xfc, 0x43, 0xed, 0x03,
		0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5 };
	static const uint8_t attr_mask[8] = { 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t attr_want[8] = { 0x11 };
	const struct teeabi_sgx_report *qe = &tq->qe;
	int fails = 0;
	if (memcmp(tq->qe_vendor_id, teeabi_intel_qe_vendor_id, 16) != 0) {
		tst_fail("%s: quote QE_VENDOR_ID (bytes 12..28) is %s, want Intel's %s byte for byte", what,
			 tst_hex(tq->qe_vendor_id, 16), tst_hex(teeabi_intel_qe_vendor_id, 16));
		fails++;
	}
	if (memcmp(qe->mr_signer, td_qe_mrsigner, 32) != 0) {
		tst_fail("%s: QE report MRSIGNER %s is not Intel's TD QE signer %s", what, tst_hex(qe->mr_signer, 32),
			 tst_hex(td_qe_mrsigner, 32));
		fails++;
	}
	if (qe->isv_prod_id != 2) {
		tst_fail("%s: QE report ISVPRODID is %u (bytes %02x %02x, little-endian), want 2 (the TD QE)", what,
			 qe->isv_prod_id, tq->qe_report[256], tq->qe_report[257]);
		fails++;
	}
	if (qe->misc_select != 0) {
		tst_fail("%s: QE report MISCSELECT is 0x%08x, want 0", what, qe->misc_select);
		fails++;
	}
	for (int i = 0; i < 8; i++)
		if ((qe->attributes[i] & attr_mask[i]) != attr_want[i]) {
			tst_fail("%s: QE report ATTRIBUTES %s under the TD_QE mask fbffffffffffffff differ from 1100000000000000 "
				 "(byte %d)", what, tst_hex(qe->attributes, 16), i);
			fails++;
			break;
		}
	if ((qe->warnings & TEEABI_W_QE_RESERVED) || !teeabi_all_zero(qe->isv_ext_prod_id, 16) ||
	    !teeabi_all_zero(qe->config_id, 64) || qe->config_svn != 0 || !teeabi_all_zero(qe->isv_family_id, 16)) {
		tst_fail("%s: QE report reserved or KSS fields are not zero (the TD QE uses no KSS)", what);
		fails++;
	}
	tst_info("%s: QE report ISVSVN %u (not fixed: it grows with each QE release)", what, qe->isv_svn);
	return fails;
}

int u_judge_tdx_quote(const char *what, const uint8_t *q, size_t len, const uint8_t rd[64],
		      const uint8_t (*rtmr)[48])
{
	int fails = 0;
	struct teeabi_tdx_quote tq;
	teeabi_err e = teeabi_tdx_quote_parse(q, len, TEEABI_QUOTE_DEFAULT, &tq);
	if (e != TEEABI_OK) {
		tst_fail("%s (%zu bytes) is not a TDX quote: %s (%s); first bytes %s", what, len,
			 teeabi_err_name(e), teeabi_err_msg(e), tst_hex(q, len < 16 ? len : 16));
		return 1;
	}
	tst_info("%s: quote v%u, tee_type 0x%x, %zu bytes (quote %zu + %zu trailing)", what, tq.version,
		 tq.tee_type, len, tq.quote_len, tq.trailing_len);
	if (tq.tee_type != 0x81) {
		tst_fail("%s: quote tee_type is 0x%x, not 0x81 (TDX)", what, tq.tee_type);
		fails++;
	}
	fails += judge_quote_fixed_fields(what, &tq);
	if (tq.td.tee_tcb_svn)
		fails += u_judge_td_values(what, &tq.td, tq.body_type == TEEABI_QUOTE_BODY_TD15);
	if (!tq.td.report_data || memcmp(tq.td.report_data, rd, 64) != 0) {
		tst_fail("%s: quote report_data is not the 64 bytes written to inblob (got %s, want %s)", what,
			 tq.td.report_data ? tst_hex(tq.td.report_data, 64) : "none", tst_hex(rd, 64));
		fails++;
	}
	e = teeabi_tdx_quote_verify_signature(q, &tq);
	if (e != TEEABI_OK) {
		tst_fail("%s: quote signature does not verify under its attestation key: %s", what, teeabi_err_name(e));
		fails++;
	}
	e = teeabi_tdx_quote_verify_qe_binding(&tq);
	if (e != TEEABI_OK) {
		tst_fail("%s: QE report does not bind the attestation key: %s", what, teeabi_err_name(e));
		fails++;
	}
	/* the QE report's own signature, by the PCK leaf of the chain the quote carries
	 * (formats.md §2.6), on every quote path, not only where a genuineness run looks */
	if (tq.inner_cert_type == 5) {
		e = teeabi_tdx_quote_verify_qe_report_sig(&tq);
		if (e != TEEABI_OK) {
			tst_fail("%s: QE report signature does not verify under the PCK leaf of the quote's chain: %s", what,
				 teeabi_err_name(e));
			fails++;
		}
	} else {
		tst_info("%s: certification data type %u carries no PCK chain: QE report signature not judged", what,
			 tq.inner_cert_type);
	}
	if (rtmr && !tq.td.rtmr[0]) {
		/* a v5 quote with an SGX body parses but carries no TD fields */
		tst_fail("%s: quote (body type %u) has no RTMRs to compare", what, tq.body_type);
		fails++;
	} else if (rtmr) {
		for (int i = 0; i < 4; i++) {
			if (memcmp(tq.td.rtmr[i], rtmr[i], 48) != 0) {
				tst_fail("%s: quote RTMR%d %s differs from the expected %s", what, i,
					 tst_hex(tq.td.rtmr[i], 48), tst_hex(rtmr[i], 48));
				fails++;
			}
		}
	}
	if (!fails)
		tst_pass("%s parses as a TDX quote v%u with Intel's QE constants, matching report data and valid signatures",
			 what, tq.version);
	return fails;
}

/* quote body (formats.md §2.4, relative to the body) <- TDREPORT (formats.md §1.5) */
static const struct {
	const char *name;
	unsigned body, tdr, len;
	bool td15; /* only in a TD15 (v5 type 3) body */
} quote_from_tdreport[] = {
	{ "TEE_TCB_SVN", 0, TDREPORT_OFF_TEE_TCB_SVN, 16, false },
	{ "MRSEAM", 16, TDREPORT_OFF_MRSEAM, 48, false },
	{ "MRSIGNERSEAM", 64, TDREPORT_OFF_MRSIGNERSEAM, 48, false },
	{ "SEAM_ATTRIBUTES", 112, TDREPORT_OFF_SEAM_ATTRIBUTES, 8, false },
	{ "TD_ATTRIBUTES", 120, TDREPORT_OFF_ATTRIBUTES, 8, false },
	{ "XFAM", 128, TDREPORT_OFF_XFAM, 8, false },
	{ "MRTD", 136, TDREPORT_OFF_MRTD, 48, false },
	{ "MRCONFIGID", 184, TDREPORT_OFF_MRCONFIGID, 48, false },
	{ "MROWNER", 232, TDREPORT_OFF_MROWNER, 48, false },
	{ "MROWNERCONFIG", 280, TDREPORT_OFF_MROWNERCONFIG, 48, false },
	{ "RTMR0", 328, TDREPORT_OFF_RTMR0, 48, false },
	{ "RTMR1", 376, TDREPORT_OFF_RTMR0 + 48, 48, false },
	{ "RTMR2", 424, TDREPORT_OFF_RTMR0 + 96, 48, false },
	{ "RTMR3", 472, TDREPORT_OFF_RTMR0 + 144, 48, false },
	{ "REPORTDATA", 520, TDREPORT_OFF_REPORTDATA, 64, false },
	{ "TEE_TCB_SVN2", 584, TDREPORT_OFF_TEE_TCB_SVN2, 16, true },
	{ "MR_SERVICETD", 600, TDREPORT_OFF_SERVTD_HASH, 48, true },
};

int u_judge_quote_vs_tdreport(const char *what, const struct teeabi_tdx_quote *q, const uint8_t before[1024],
			      const uint8_t after[1024])
{
	const size_t nf = sizeof(quote_from_tdreport) / sizeof(quote_from_tdreport[0]);
	int fails = 0, judged = 0;
	if (q->body_type != TEEABI_QUOTE_BODY_TD10 && q->body_type != TEEABI_QUOTE_BODY_TD15) {
		tst_fail("%s: quote body type %u carries no TD fields to compare with the TDREPORT", what, q->body_type);
		return 1;
	}
	const uint8_t *body = q->td.tee_tcb_svn; /* the body starts with TEE_TCB_SVN (formats.md §2.4) */
	for (size_t i = 0; i <= nf; i++) {
		/* the last round: the QE report's CPUSVN (SGX report body offset 0, formats.md §3) */
		const char *name = i < nf ? quote_from_tdreport[i].name : "QE report CPUSVN";
		unsigned tdr = i < nf ? quote_from_tdreport[i].tdr : TDREPORT_OFF_CPUSVN;
		unsigned len = i < nf ? quote_from_tdreport[i].len : 16;
		if (i < nf && quote_from_tdreport[i].td15 && q->body_type != TEEABI_QUOTE_BODY_TD15)
			continue;
		const uint8_t *got = i < nf ? body + quote_from_tdreport[i].body : q->qe_report;
		if (memcmp(before + tdr, after + tdr, len)) {
			tst_info("%s: TDREPORT %s (0x%03x) changed while the quote was made: not judged", what, name, tdr);
			continue;
		}
		judged++;
		unsigned k = 0;
		while (k < len && got[k] == before[tdr + k])
			k++;
		if (k < len) {
			tst_fail("%s: quote %s differs from the TDREPORT's (0x%03x) from byte %u: %s, want %s", what, name, tdr,
				 k, tst_hex(got + k, len - k), tst_hex(before + tdr + k, len - k));
			fails++;
		}
	}
	if (!fails)
		tst_pass("%s: %d fields the quote takes from the TDREPORT equal a TDREPORT of the same TD", what, judged);
	return fails;
}

/* TD ATTRIBUTES bits 7:0 (the TUD group, formats.md §1.4; DEBUG is bit 0) */
#define TD_ATTR_TUD_MASK 0xffULL
/* XFAM bits the TDX module's XFAM check ties together (intel/tdx-module, TDH.MNG.INIT's
 * check_xfam(): TDX_XFAM_FIXED1 = 0x3, avx3_kmask needs avx, kmask == zmm_hi == zmm,
 * cet_s == cet_u; AMX: tile cfg with tile data, XCR0 bits 17 and 18 being architecturally
 * all-or-nothing) */
#define XFAM_FIXED1 0x3ULL
#define XFAM_AVX (1ULL << 2)
#define XFAM_AVX512 (7ULL << 5)
#define XFAM_CET (3ULL << 11)
#define XFAM_AMX (3ULL << 17)

static int judge_svn_reserved(const char *what, const char *name, const uint8_t *svn)
{
	if (teeabi_all_zero(svn + 3, 13))
		return 0;
	tst_fail("%s: %s %s has non-zero reserved bytes 3..15 (only minor, major and SEAM patch SVN are defined)", what,
		 name, tst_hex(svn, 16));
	return 1;
}

int u_judge_td_values(const char *what, const struct teeabi_td_fields *td, bool td15)
{
	int fails = judge_svn_reserved(what, "TEE_TCB_SVN", td->tee_tcb_svn);
	if (td15 && td->tee_tcb_svn2)
		fails += judge_svn_reserved(what, "TEE_TCB_SVN2", td->tee_tcb_svn2);
	if (!teeabi_all_zero(td->mrsignerseam, 48)) {
		tst_fail("%s: MRSIGNERSEAM is %s, want 48 zero bytes (an Intel-signed TDX module)", what,
			 tst_hex(td->mrsignerseam, 48));
		fails++;
	}
	if (td->seam_attributes != 0) {
		tst_fail("%s: SEAM_ATTRIBUTES is 0x%016llx, want 0 (a production TDX module; Intel's TCB Info requires 0 under mask FFFFFFFFFFFFFFFF)",
			 what, (unsigned long long)td->seam_attributes);
		fails++;
	}
	uint64_t a = td->td_attributes, x = td->xfam;
	if (a & TD_ATTR_TUD_MASK) {
		tst_fail("%s: TD ATTRIBUTES 0x%016llx has TUD bits 0x%02llx set%s: the TD is untrusted (debuggable), not a production TD",
			 what, (unsigned long long)a, (unsigned long long)(a & TD_ATTR_TUD_MASK), (a & 1) ? " (DEBUG)" : "");
		fails++;
	}
	const struct teeabi_profile *p = tst_profile;
	if (p && p->tdx_td_attributes_set && a != p->tdx_td_attributes) {
		tst_fail("%s: TD ATTRIBUTES 0x%016llx, the profile %s says 0x%016llx", what, (unsigned long long)a, p->name,
			 (unsigned long long)p->tdx_td_attributes);
		fails++;
	}
	const char *bad = (x & XFAM_FIXED1) != XFAM_FIXED1 ? "x87 and SSE (bits 0, 1) are fixed to 1"
			  : (x & XFAM_AVX512) && (x & XFAM_AVX512) != XFAM_AVX512 ? "AVX-512 bits 5..7 are all set or all clear"
			  : (x & XFAM_AVX512) && !(x & XFAM_AVX) ? "AVX-512 (bits 5..7) needs AVX (bit 2)"
			  : (x & XFAM_CET) && (x & XFAM_CET) != XFAM_CET ? "CET_U and CET_S (bits 11, 12) go together"
			  : (x & XFAM_AMX) && (x & XFAM_AMX) != XFAM_AMX ? "AMX TILECFG and TILEDATA (bits 17, 18) go together"
			  : NULL;
	if (bad) {
		tst_fail("%s: XFAM 0x%016llx is not one the TDX module accepts: %s", what, (unsigned long long)x, bad);
		fails++;
	}
	if (p && p->tdx_xfam_set && x != p->tdx_xfam) {
		tst_fail("%s: XFAM 0x%016llx, the profile %s says 0x%016llx", what, (unsigned long long)x, p->name,
			 (unsigned long long)p->tdx_xfam);
		fails++;
	}
	return fails;
}

int u_judge_tdreport_values(const char *what, const uint8_t rep[1024])
{
	int fails = 0;
	struct teeabi_tdreport tr;
	teeabi_err e = teeabi_tdreport_parse(rep, 1024, &tr);
	if (e != TEEABI_OK) {
		tst_fail("%s: TDREPORT does not parse: %s (%s); REPORTTYPE bytes %02x %02x %02x %02x", what,
			 teeabi_err_name(e), teeabi_err_msg(e), rep[0], rep[1], rep[2], rep[3]);
		return 1;
	}
	/* VERSION: TDG.MR.REPORT (intel/tdx-module tdg_mr_report.c) sets 0 without and 1 with
	 * bound service TDs (TDX_REPORT_VERSION_NO_SERVTDS / _WITH_SERVTDS; TDX 1.0 modules: 0
	 * always), and SERVTD_HASH is 0 without them: the pair must agree */
	bool servtd = !teeabi_all_zero(rep + TDREPORT_OFF_SERVTD_HASH, 48);
	if (tr.version > 1 || (tr.version == 1) != servtd) {
		tst_fail("%s: REPORTTYPE.VERSION is %u with SERVTD_HASH %s: VERSION is 1 exactly when a service TD is bound (SERVTD_HASH non-zero), else 0",
			 what, tr.version, servtd ? "non-zero" : "zero");
		fails++;
	}
	/* reserved ranges (formats.md §1.1-§1.4; the module zeroes the report first). Inside
	 * TEE_TCB_INFO, VALID says what is reserved (the chunk rule below): a later module may
	 * fill chunks past TEE_TCB_SVN2 and set their bits. */
	static const struct { unsigned off, len; const char *name; } rsvd[] = {
		{ 0x003, 13, "REPORTTYPE.reserved and 0x004..0x010" },
		{ 0x0C0, 32, "0x0C0..0x0E0 (before the MAC)" },
		{ 0x1EF, 17, "0x1EF..0x200" },
		{ 0x3C0, 64, "TDINFO's reserved tail" },
	};
	for (size_t i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++)
		if (!teeabi_all_zero(rep + rsvd[i].off, rsvd[i].len)) {
			tst_fail("%s: reserved %s is not zero: %s", what, rsvd[i].name, tst_hex(rep + rsvd[i].off, rsvd[i].len));
			fails++;
		}
	/* VALID: bit i = 8-byte chunk i of TEE_TCB_INFO (239 bytes: chunks 0..29) populated
	 * (formats.md §1.3); VALID, TEE_TCB_SVN and MRSEAM (chunks 0..8) always are */
	uint64_t v = tr.valid;
	if ((v & 0x1ffULL) != 0x1ffULL || (v >> 30)) {
		tst_fail("%s: TEE_TCB_INFO.VALID 0x%llx: bits 0..8 (VALID, TEE_TCB_SVN, MRSEAM) must be set and none above 29", what,
			 (unsigned long long)v);
		fails++;
	}
	for (unsigned c = 9; c < 30; c++) {
		unsigned off = TDREPORT_OFF_TEE_TCB_INFO + 8 * c, n = c == 29 ? 7 : 8;
		if (!(v & (1ULL << c)) && !teeabi_all_zero(rep + off, n)) {
			tst_fail("%s: TEE_TCB_INFO chunk %u (0x%03x) is not zero although VALID bit %u is clear: %s", what, c, off, c,
				 tst_hex(rep + off, n));
			fails++;
		}
	}
	return fails + u_judge_td_values(what, &tr.td, (v & 0x30000ULL) == 0x30000ULL);
}

/* Round 5, 204: every certificate entry of an SNP certificate table is one DER object that
 * fills exactly its length. The GHCB table hands the guest X.509 certificates (and the CRL)
 * in DER: go-sev-guest's verifier (verify/verify.go FromDER(), VcekDER()) gives the VCEK/VLEK,
 * ASK and ARK entries to x509.ParseCertificate() as they are, and a PEM text or trailing
 * bytes there fail it. d2i must consume all `length` bytes, for every VCEK, VLEK, ASK, ASVK
 * and ARK entry (the CRL entry as a DER CRL); entries of other GUIDs are not certificates
 * and not judged. */
static int snp_cert_entries_der(const char *what, const struct teeabi_cert_table *ct)
{
	int fails = 0;
	for (size_t i = 0; i < ct->count; i++) {
		const struct teeabi_cert_entry *x = &ct->e[i];
		if (x->kind == TEEABI_CERT_UNKNOWN || x->kind == TEEABI_CERT_EXTRA_PLATFORM_INFO)
			continue;
		const unsigned char *p = x->data.p;
		bool ok;
		if (x->kind == TEEABI_CERT_CRL) {
			X509_CRL *c = d2i_X509_CRL(NULL, &p, (long)x->data.len);
			ok = c != NULL;
			X509_CRL_free(c);
		} else {
			X509 *c = d2i_X509(NULL, &p, (long)x->data.len);
			ok = c != NULL;
			X509_free(c);
		}
		size_t used = ok ? (size_t)(p - x->data.p) : 0;
		ERR_clear_error();
		if (!ok || used != x->data.len) {
			tst_fail("%s: certificate table entry %zu (%s, %u bytes at %u) is not one DER %s filling its length (%s; "
				 "starts %s)", what, i, x->name, x->length, x->offset, x->kind == TEEABI_CERT_CRL ? "CRL" : "certificate",
				 ok ? "trailing bytes after the DER object" : "d2i refuses it",
				 tst_hex(x->data.p, x->data.len < 16 ? x->data.len : 16));
			fails++;
		}
	}
	return fails;
}

int u_judge_snp_report(const char *what, const uint8_t *r, size_t len, const uint8_t rd[64],
		       long vmpl, const uint8_t *certs, size_t certs_len)
{
	int fails = 0;
	struct teeabi_snp_report sr;
	teeabi_err e = teeabi_snp_report_parse(r, len, 0, &sr);
	if (e != TEEABI_OK) {
		tst_fail("%s (%zu bytes) is not an SNP attestation report: %s (%s)", what, len, teeabi_err_name(e),
			 teeabi_err_msg(e));
		return 1;
	}
	tst_info("%s: SNP report v%u, vmpl %u, signing key %u", what, sr.version, sr.vmpl, sr.signer.signing_key);
	if (memcmp(sr.report_data, rd, 64) != 0) {
		tst_fail("%s: REPORT_DATA at 0x50 is not the caller's 64 bytes (got %s, want %s)", what,
			 tst_hex(sr.report_data, 64), tst_hex(rd, 64));
		fails++;
	}
	if (vmpl >= 0 && sr.vmpl != (uint32_t)vmpl) {
		tst_fail("%s: report VMPL is %u, requested %ld", what, sr.vmpl, vmpl);
		fails++;
	}
	/* POLICY.MIGRATE_MA (bit 18) 0: no migration agent can be bound to the guest, so
	 * REPORT_ID_MA is all 0xFF (SNP firmware ABI 56860, ATTESTATION_REPORT; formats.md §4.1;
	 * every real report in vectors/snp-report has policy bit 18 clear and 32 0xFF bytes) */
	bool ma_ff = true;
	for (size_t i = 0; i < 32; i++)
		ma_ff &= sr.report_id_ma[i] == 0xFF;
	if (!sr.policy_bits.migrate_ma && !ma_ff) {
		tst_fail("%s: POLICY 0x%llx has MIGRATE_MA clear (no migration agent), but REPORT_ID_MA at 0x160 is %s, "
			 "want 32 bytes of 0xFF", what, (unsigned long long)sr.policy, tst_hex(sr.report_id_ma, 32));
		fails++;
	}
	/* the values the ABI and the profile fix (issue 17, round 4: pinned, not only related) */
	fails += u_snp_pin_values(what, r, &sr);
	if (certs) {
		struct teeabi_cert_table *ct = calloc(1, sizeof(*ct));
		if (!ct) {
			tst_brok("out of memory");
			return fails + 1;
		}
		e = teeabi_snp_cert_table_parse(certs, certs_len, 0, ct);
		if (e != TEEABI_OK) {
			tst_fail("%s: certificate table (%zu bytes) does not parse: %s", what, certs_len, teeabi_err_name(e));
			fails++;
		} else {
			fails += snp_cert_entries_der(what, ct);
			/* the key that verifies the signature, among the table's VCEK and VLEK entries */
			const struct teeabi_cert_entry *key = NULL, *signer = NULL;
			for (size_t i = 0; i < ct->count; i++)
				if (ct->e[i].kind == TEEABI_CERT_VCEK || ct->e[i].kind == TEEABI_CERT_VLEK) {
					key = &ct->e[i];
					if (!signer && teeabi_snp_report_verify(r, len, key->data.p, key->data.len) == TEEABI_OK)
						signer = key;
				}
			if (!key) {
				tst_fail("%s: certificate table (%zu entries) names neither a VCEK nor a VLEK", what, ct->count);
				fails++;
			} else if (!signer) {
				e = teeabi_snp_report_verify(r, len, key->data.p, key->data.len);
				tst_fail("%s: report signature does not verify with the %s from the table: %s", what,
					 key->name, teeabi_err_name(e));
				fails++;
			} else {
				tst_info("%s: certificate table: %zu entries, signing cert %s (%u bytes)", what, ct->count,
					 signer->name, signer->length);
				/* SIGNER_INFO.SIGNING_KEY (bits 4:2) names the key that signed: 0 VCEK, 1 VLEK
				 * (SNP firmware ABI 56860, ATTESTATION_REPORT; formats.md §4.1); a verifier
				 * picks the key by it (issue 17 rule 1) */
				unsigned want = signer->kind == TEEABI_CERT_VLEK;
				if (sr.signer.signing_key != want) {
					tst_fail("%s: SIGNER_INFO.SIGNING_KEY is %u, but the key that verifies the report is the "
						 "table's %s entry (want %u)", what, sr.signer.signing_key, signer->name, want);
					fails++;
				}
			}
		}
		free(ct);
	}
	if (!fails)
		tst_pass("%s parses as an SNP report with matching REPORT_DATA%s", what, certs ? " and a valid signature" : "");
	return fails;
}

int u_check_mode(const char *path, unsigned type, unsigned mode)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		tst_fail("stat %s: %s", path, strerror(errno));
		return 1;
	}
	if ((st.st_mode & S_IFMT) != type || (st.st_mode & 07777) != mode || st.st_uid != 0) {
		tst_fail("%s is %s mode 0%03o uid %u, the kernel makes it a %s of mode 0%03o owned by root", path,
			 S_ISDIR(st.st_mode) ? "a directory" : S_ISREG(st.st_mode) ? "a file" : "a special file",
			 (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, type == S_IFDIR ? "directory" : "file", mode);
		return 1;
	}
	return 0;
}

void u_sha384_extend(uint8_t out[48], const uint8_t old[48], const uint8_t data[48])
{
	uint8_t in[96];
	unsigned int n = 0;
	memcpy(in, old, 48);
	memcpy(in + 48, data, 48);
	if (!EVP_Digest(in, sizeof(in), out, &n, EVP_sha384(), NULL) || n != 48)
		tst_brk(TST_BROK, "EVP_Digest(SHA-384) failed");
}

void u_report_genuineness(const struct teeabi_genuineness *g)
{
	for (int i = 0; i < g->ncerts; i++)
		tst_info("chain[%d]: %s (%s) sha256 %s", i, g->certs[i].subject, g->certs[i].key, g->certs[i].sha256);
	tst_info("genuineness: %s (%s)", teeabi_genuine_name(g->verdict), g->reason);
	switch (g->verdict) {
	case TEEABI_GENUINE:
		tst_pass("genuine: the chain ends in %s and signs the evidence", g->root_name);
		break;
	case TEEABI_TEST_PKI:
		tst_skip("test PKI: the chain ends in %s (the mocks' test roots), not genuine hardware", g->root_name);
		break;
	case TEEABI_NOT_CHECKABLE:
		tst_skip("genuineness not checkable: %s", g->reason);
		break;
	case TEEABI_NOT_GENUINE:
		tst_fail("not genuine: %s", g->reason);
		break;
	}
}

void u_v1_digest(uint8_t out[48], const char *name, const uint8_t *payload, size_t plen)
{
	static const uint8_t t[4] = { 0x01, 0x00, 0x00, 0x08 }; /* LE32(0x08000001) */
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	if (!c || !EVP_DigestInit_ex(c, EVP_sha384(), NULL) || !EVP_DigestUpdate(c, t, 4) || !EVP_DigestUpdate(c, ":", 1) ||
	    !EVP_DigestUpdate(c, name, strlen(name)) || !EVP_DigestUpdate(c, ":", 1) || !EVP_DigestUpdate(c, payload, plen) ||
	    !EVP_DigestFinal_ex(c, out, &n)) {
		EVP_MD_CTX_free(c);
		tst_brk(TST_BROK, "OpenSSL SHA-384 failed");
	}
	EVP_MD_CTX_free(c);
}
