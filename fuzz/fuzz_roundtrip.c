/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_roundtrip.c - the model's evidence builders against the library's parsers.
 *
 * The fuzzer chooses the contents, the model builds the evidence, the lib parses it and must
 * return exactly what was chosen:
 *   - TDREPORT (tm_tdx_tdreport) after fuzzer-chosen RTMR extends: lib/tdx_report.c parses
 *     it strictly, its two hashes verify, REPORTDATA is the chosen one and the RTMRs are
 *     an independent SHA-384 chain (OpenSSL here) over the chosen extends;
 *   - DCAP quote (tm_tdx_quote) over a TDREPORT whose every field the fuzzer chose (TD
 *     attributes, XFAM, SEAM attributes, TEE_TCB_SVN, MRSEAM/MRSIGNERSEAM, the MRs and
 *     RTMRs, REPORTDATA, CPUSVN): lib/tdx_quote.c parses it with strict vendor/trailing/
 *     certificate-size checks, every body field equals the chosen one, the QE report binds
 *     the attestation key (SHA-256(AK || auth) in its report data), and both signatures
 *     hold;
 *   - SNP report (tm_sev_report) for chosen user data and VMPL: MSG_REPORT_RSP and the
 *     report parse (strict must-be-zero), REPORT_DATA and VMPL are the chosen ones, a VMPL
 *     below the guest's or above 3 gives firmware status 0x16 instead, the per-guest fields
 *     are stable, the certificate table parses and the report's signature holds.
 *
 * Every signature is checked. Here the machines sign with the models' fast stand-in
 * (tm_set_fast_sign; fz_sign.h checks it covers exactly the signed bytes), at fuzzing speed;
 * fuzz/fuzz_sign.c is this same target with the real ECDSA signing (FZ_REAL_SIGN), two
 * P-256 signatures per quote and a P-384 one per SNP report, verified by the library:
 * hundreds of execs/s, the one target whose cost is the crypto itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "fz_sign.h"

#ifndef FZ_REAL_SIGN
#define FZ_REAL_SIGN 0
#endif

/* Negative control: build with -DFZ_FAULTS='TM_FAULT_BIT(TM_FAULT_X)' and the properties
 * must trip on the injected bugs. */
#ifndef FZ_FAULTS
#define FZ_FAULTS TM_NO_FAULTS
#endif

static struct tm_dev *tdx, *tdx2, *snp, *snp_vmpl2;
static uint8_t snp_first[TEEABI_SNP_REPORT_LEN]; /* a report of snp, for the per-guest fields */

static struct tm_dev *mk(const char *text)
{
	struct teeabi_profile p;
	char err[256];
	FZ_CHECK(teeabi_profile_parse(text, &p, err, sizeof(err)) == 0, "profile: %s", err);
	struct tm_dev *d = tm_new(&p, FZ_FAULTS);
	FZ_CHECK(d != NULL, "tm_new(%s)", p.name);
	tm_set_fast_sign(d, !FZ_REAL_SIGN);
	return d;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tdx = mk("name = fz-rt-tdx\nplatform = tdx\nkernel = 6.16.0\n");
	tdx2 = mk("name = fz-rt-dstack\nplatform = tdx\nkernel = 6.9.0-dstack\ntdx_guest = dstack-mod\nconfigfs_tsm = 0\n");
	snp = mk("name = fz-rt-snp\nplatform = snp\nkernel = 6.11.0\n");
	snp_vmpl2 = mk("name = fz-rt-snp-vmpl2\nplatform = snp\nkernel = 6.11.0\nsev_vmpl = 2\n");
	uint8_t ud[64] = { 0 }, resp[4000];
	FZ_CHECK(tm_sev_report(snp, ud, 0, resp) == 0, "first SNP report");
	memcpy(snp_first, resp + 0x20, sizeof(snp_first));
	return 0;
}

static void sha384_cat(const uint8_t a[48], const uint8_t b[48], uint8_t out[48])
{
	uint8_t in[96];
	unsigned n = 0;
	memcpy(in, a, 48);
	memcpy(in + 48, b, 48);
	FZ_CHECK(EVP_Digest(in, sizeof(in), out, &n, EVP_sha384(), NULL) == 1 && n == 48, "EVP_Digest");
}

/* ---------------------------------------------------------------- TDREPORT */
static void rt_tdreport(struct fz *f)
{
	struct tm_dev *d = fz_u8(f) & 1 ? tdx2 : tdx;
	uint8_t boot[1024], rep[1024], rd[64], zero[64] = { 0 };
	uint8_t rtmr[4][48];
	tm_reset(d);
	FZ_CHECK(tm_tdx_tdreport(d, zero, boot) == 0, "boot report");
	for (int i = 0; i < 4; i++)
		memcpy(rtmr[i], boot + TDREPORT_OFF_RTMR0 + 48 * i, 48);
	unsigned n = fz_u8(f) % 8;
	for (unsigned k = 0; k < n; k++) {
		uint8_t data[48];
		unsigned idx = fz_u8(f) % 4;
		fz_bytes(f, data, 48);
		FZ_CHECK(tm_tdx_rtmr_extend(d, idx, data) == 0, "extend");
		sha384_cat(rtmr[idx], data, rtmr[idx]);
	}
	fz_bytes(f, rd, 64);
	FZ_CHECK(tm_tdx_tdreport(d, rd, rep) == 0, "tdreport");
	struct teeabi_tdreport t;
	teeabi_err e = teeabi_tdreport_parse(rep, sizeof(rep), &t);
	FZ_CHECK(e == TEEABI_OK, "TDREPORT: %s", teeabi_err_name(e));
	FZ_CHECK(t.warnings == 0, "TDREPORT warnings 0x%x", t.warnings);
	FZ_CHECK(teeabi_tdreport_verify_hashes(rep, sizeof(rep)) == TEEABI_OK, "TDREPORT hashes");
	FZ_CHECK(!memcmp(t.td.report_data, rd, 64), "REPORTDATA");
	for (int i = 0; i < 4; i++)
		FZ_CHECK(!memcmp(t.td.rtmr[i], rtmr[i], 48), "RTMR%d is not the SHA-384 chain", i);
	/* the MRs do not move with extends */
	FZ_CHECK(!memcmp(t.td.mrtd, boot + TDREPORT_OFF_MRTD, 48 * 4), "MRTD/MRCONFIGID/MROWNER/MROWNERCONFIG moved");
	FZ_CHECK(t.td.td_attributes == teeabi_le64(boot + TDREPORT_OFF_ATTRIBUTES), "TD attributes moved");
	tm_reset(d);
}

/* ---------------------------------------------------------------- quote */
static void rt_quote(struct fz *f)
{
	uint8_t flags = fz_u8(f);
	struct tm_dev *d = flags & 1 ? tdx2 : tdx;
	uint8_t rep[1024];
	memset(rep, 0, sizeof(rep));
	rep[0] = 0x81;
	/* the fields a quote body carries (formats.md §1.5), chosen by the fuzzer */
	fz_bytes(f, rep + TDREPORT_OFF_CPUSVN, 16);
	fz_bytes(f, rep + TDREPORT_OFF_REPORTDATA, 64);
	fz_bytes(f, rep + TDREPORT_OFF_TEE_TCB_SVN, 16);
	fz_bytes(f, rep + TDREPORT_OFF_MRSEAM, 96); /* MRSEAM, MRSIGNERSEAM */
	fz_bytes(f, rep + TDREPORT_OFF_SEAM_ATTRIBUTES, 8);
	fz_bytes(f, rep + TDREPORT_OFF_ATTRIBUTES, 16); /* TD attributes, XFAM */
	if (flags & 2)
		fz_bytes(f, rep + TDREPORT_OFF_MRTD, 48 * 8); /* MRTD .. RTMR3 */
	else
		for (int i = 0; i < 8; i++)
			memset(rep + TDREPORT_OFF_MRTD + 48 * i, fz_u8(f), 48);
	if (flags & 4)
		fz_bytes(f, rep + TDREPORT_OFF_SERVTD_HASH, 48); /* not in a TD10 body */

	uint8_t *q = NULL;
	size_t qlen = 0;
	FZ_CHECK(tm_tdx_quote(d, rep, &q, &qlen) == 0 && q, "tm_tdx_quote");
	struct teeabi_tdx_quote pq;
	teeabi_err e = teeabi_tdx_quote_parse(q, qlen, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_VENDOR | TEEABI_QUOTE_STRICT_TRAILING, &pq);
	FZ_CHECK(e == TEEABI_OK, "quote: %s", teeabi_err_name(e));
	FZ_CHECK(pq.version == 4 && pq.att_key_type == 2 && pq.tee_type == 0x81 && pq.body_type == TEEABI_QUOTE_BODY_TD10,
		 "quote header v%u key %u tee 0x%x body %u", pq.version, pq.att_key_type, pq.tee_type, pq.body_type);
	FZ_CHECK(pq.signed_len == 632 && pq.quote_len == qlen && pq.trailing_len == 0, "quote lengths");
	FZ_CHECK(pq.cert_type == 6 && pq.inner_cert_type == 5 && pq.cert_size + 134 == pq.sig_data_len, "cert data");
	const struct teeabi_td_fields *td = &pq.td;
	FZ_CHECK(!memcmp(td->tee_tcb_svn, rep + TDREPORT_OFF_TEE_TCB_SVN, 16), "TEE_TCB_SVN");
	FZ_CHECK(!memcmp(td->mrseam, rep + TDREPORT_OFF_MRSEAM, 48), "MRSEAM");
	FZ_CHECK(!memcmp(td->mrsignerseam, rep + TDREPORT_OFF_MRSIGNERSEAM, 48), "MRSIGNERSEAM");
	FZ_CHECK(td->seam_attributes == teeabi_le64(rep + TDREPORT_OFF_SEAM_ATTRIBUTES), "SEAM attributes");
	FZ_CHECK(((pq.warnings & TEEABI_W_QUOTE_SEAM_ATTR) != 0) == (td->seam_attributes != 0), "SEAM attribute warning");
	FZ_CHECK(td->td_attributes == teeabi_le64(rep + TDREPORT_OFF_ATTRIBUTES), "TD attributes");
	FZ_CHECK(td->xfam == teeabi_le64(rep + TDREPORT_OFF_XFAM), "XFAM");
	FZ_CHECK(!memcmp(td->mrtd, rep + TDREPORT_OFF_MRTD, 48), "MRTD");
	FZ_CHECK(!memcmp(td->mrconfigid, rep + TDREPORT_OFF_MRCONFIGID, 48), "MRCONFIGID");
	FZ_CHECK(!memcmp(td->mrowner, rep + TDREPORT_OFF_MROWNER, 48), "MROWNER");
	FZ_CHECK(!memcmp(td->mrownerconfig, rep + TDREPORT_OFF_MROWNERCONFIG, 48), "MROWNERCONFIG");
	for (int i = 0; i < 4; i++)
		FZ_CHECK(!memcmp(td->rtmr[i], rep + TDREPORT_OFF_RTMR0 + 48 * i, 48), "RTMR%d", i);
	FZ_CHECK(!memcmp(td->report_data, rep + TDREPORT_OFF_REPORTDATA, 64), "REPORTDATA");
	FZ_CHECK(td->tee_tcb_svn2 == NULL && td->mr_servicetd == NULL, "TD10 body with TD15 fields");
	FZ_CHECK(!memcmp(pq.qe.cpu_svn, rep + TDREPORT_OFF_CPUSVN, 16), "QE report CPUSVN");
	e = teeabi_tdx_quote_verify_qe_binding(&pq);
	FZ_CHECK(e == TEEABI_OK, "QE binding: %s", teeabi_err_name(e));
	e = fz_quote_sigs(d, q, &pq);
	FZ_CHECK(e == TEEABI_OK, "quote or QE report signature: %s", teeabi_err_name(e));
	/* and the quote of the model's own TDREPORT carries that report */
	if (flags & 8) {
		uint8_t rd[64], own[1024];
		uint8_t *q2 = NULL;
		size_t q2len = 0;
		fz_bytes(f, rd, 64);
		FZ_CHECK(tm_tdx_tdreport(d, rd, own) == 0, "tdreport");
		FZ_CHECK(tm_tdx_quote(d, own, &q2, &q2len) == 0, "quote");
		FZ_CHECK(teeabi_tdx_quote_parse(q2, q2len, TEEABI_QUOTE_DEFAULT, &pq) == TEEABI_OK, "own quote");
		FZ_CHECK(!memcmp(pq.td.report_data, rd, 64) && !memcmp(pq.td.rtmr[0], own + TDREPORT_OFF_RTMR0, 192),
			 "own quote body");
		free(q2);
	}
	free(q);
}

/* ---------------------------------------------------------------- SNP */
static void rt_snp(struct fz *f)
{
	uint8_t flags = fz_u8(f);
	struct tm_dev *d = flags & 1 ? snp_vmpl2 : snp;
	unsigned guest_vmpl = tm_profile(d)->sev_vmpl;
	uint8_t ud[64], resp[4000];
	fz_bytes(f, ud, 64);
	uint8_t v = fz_u8(f);
	uint32_t vmpl = v < 0xF0 ? v % 6 : fz_u32(f);
	uint32_t st = tm_sev_report(d, ud, vmpl, resp);
	struct teeabi_snp_msg_report_rsp m;
	teeabi_err e = teeabi_snp_msg_report_rsp_parse(resp, sizeof(resp), &m);
	if (vmpl < guest_vmpl || vmpl > 3) {
		FZ_CHECK(st == TEEABI_SEV_RET_INVALID_PARAM && e == TEEABI_E_SNP_MSG_STATUS && m.status == st,
			 "vmpl %u (guest %u): status 0x%x, %s", vmpl, guest_vmpl, st, teeabi_err_name(e));
		return;
	}
	FZ_CHECK(st == 0 && e == TEEABI_OK, "status 0x%x, MSG_REPORT_RSP %s", st, teeabi_err_name(e));
	struct teeabi_snp_report r;
	e = teeabi_snp_report_parse(m.report.p, m.report.len, TEEABI_SNP_STRICT_MBZ, &r);
	FZ_CHECK(e == TEEABI_OK, "SNP report: %s", teeabi_err_name(e));
	FZ_CHECK(r.version == 3 && r.sig_algo == 1 && r.signer.signing_key == 0, "version %u algo %u key %u", r.version,
		 r.sig_algo, r.signer.signing_key);
	FZ_CHECK(!memcmp(r.report_data, ud, 64), "REPORT_DATA");
	FZ_CHECK(r.vmpl == vmpl, "VMPL %u, asked %u", r.vmpl, vmpl);
	FZ_CHECK(r.gen == TEEABI_SNP_GEN_MILAN && r.cpuid_fam == 0x19, "CPUID fam 0x%x", r.cpuid_fam);
	if (d == snp) {
		/* everything but REPORT_DATA, VMPL and the signature is the guest's */
		FZ_CHECK(!memcmp(m.report.p, snp_first, SNP_OFF_VMPL) &&
				 !memcmp(m.report.p + SNP_OFF_VMPL + 4, snp_first + SNP_OFF_VMPL + 4, SNP_OFF_REPORT_DATA - SNP_OFF_VMPL - 4) &&
				 !memcmp(m.report.p + SNP_OFF_MEASUREMENT, snp_first + SNP_OFF_MEASUREMENT, SNP_SIGNED_LEN - SNP_OFF_MEASUREMENT),
			 "per-guest fields of the SNP report changed");
	}
	size_t bl = 0, vl = 0;
	const uint8_t *blob = tm_sev_certs(d, &bl);
	const uint8_t *vcek = tm_sev_vcek_der(d, &vl);
	struct teeabi_cert_table *t = malloc(sizeof(*t));
	FZ_CHECK(t != NULL, "malloc");
	e = teeabi_snp_cert_table_parse(blob, bl, 0, t);
	FZ_CHECK(e == TEEABI_OK && t->count == 3, "certificate table: %s", teeabi_err_name(e));
	FZ_CHECK(t->e[0].kind == TEEABI_CERT_VCEK && t->e[0].data.len == vl && !memcmp(t->e[0].data.p, vcek, vl) &&
			 t->e[1].kind == TEEABI_CERT_ASK && t->e[2].kind == TEEABI_CERT_ARK,
		 "certificate table entries");
	free(t);
	e = fz_snp_report_sig(d, m.report.p, m.report.len);
	FZ_CHECK(e == TEEABI_OK, "SNP report signature: %s", teeabi_err_name(e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	switch (fz_u8(&f) % 3) {
	case 0: rt_tdreport(&f); break;
	case 1: rt_quote(&f); break;
	default: rt_snp(&f); break;
	}
	return 0;
}
