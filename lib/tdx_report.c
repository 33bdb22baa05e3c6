/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tdx_report.c - TDREPORT_STRUCT (1024 bytes) strict parser and its SHA-384 hash checks.
 * Layout: docs/formats.md §1. Zero-copy: every pointer in the view points into buf.
 */
#include <openssl/evp.h>
#include <openssl/err.h>
#include <string.h>
#include "teeabi/tdx.h"

#define TDREPORT_LEN 1024

teeabi_err teeabi_tdreport_parse(const uint8_t *buf, size_t len, struct teeabi_tdreport *out)
{
	if (!buf || !out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (len != TDREPORT_LEN)
		return TEEABI_E_TDREPORT_SIZE;
	if (buf[TDREPORT_OFF_TYPE] != 0x81)
		return TEEABI_E_TDREPORT_TYPE;
	if (buf[TDREPORT_OFF_TYPE + 1] != 0)
		return TEEABI_E_TDREPORT_SUBTYPE;

	out->type = buf[0];
	out->subtype = buf[1];
	out->version = buf[2];
	/* §1.2 note: VERSION 0 is all that was observed; anything else is "unknown", not corrupt. */
	if (out->version != 0)
		out->warnings |= TEEABI_W_TDREPORT_VERSION;

	out->cpusvn = buf + TDREPORT_OFF_CPUSVN;
	out->tee_tcb_info_hash = buf + TDREPORT_OFF_TEE_TCB_INFO_HASH;
	out->tee_info_hash = buf + TDREPORT_OFF_TEE_INFO_HASH;
	out->mac = buf + TDREPORT_OFF_MAC;
	out->valid = teeabi_le64(buf + TDREPORT_OFF_VALID);
	out->tdx15 = (out->valid & 0x30000u) == 0x30000u;

	struct teeabi_td_fields *td = &out->td;
	td->tee_tcb_svn = buf + TDREPORT_OFF_TEE_TCB_SVN;
	td->mrseam = buf + TDREPORT_OFF_MRSEAM;
	td->mrsignerseam = buf + TDREPORT_OFF_MRSIGNERSEAM;
	td->seam_attributes = teeabi_le64(buf + TDREPORT_OFF_SEAM_ATTRIBUTES);
	td->td_attributes = teeabi_le64(buf + TDREPORT_OFF_ATTRIBUTES);
	td->xfam = teeabi_le64(buf + TDREPORT_OFF_XFAM);
	td->mrtd = buf + TDREPORT_OFF_MRTD;
	td->mrconfigid = buf + TDREPORT_OFF_MRCONFIGID;
	td->mrowner = buf + TDREPORT_OFF_MROWNER;
	td->mrownerconfig = buf + TDREPORT_OFF_MROWNERCONFIG;
	for (int i = 0; i < 4; i++)
		td->rtmr[i] = buf + TDREPORT_OFF_RTMR0 + 48 * i;
	td->report_data = buf + TDREPORT_OFF_REPORTDATA;
	td->tee_tcb_svn2 = buf + TDREPORT_OFF_TEE_TCB_SVN2;
	td->mr_servicetd = buf + TDREPORT_OFF_SERVTD_HASH;

	/* Reserved ranges (§1.1-§1.4). TEE_TCB_SVN2 (0x180..0x190) is reserved in TDX 1.0
	 * but carries data in 1.5, so it is not checked here. */
	static const struct { uint16_t off, len; } rsvd[] = {
		{ 0x003, 13 },            /* REPORTTYPE.reserved + 12 reserved */
		{ 0x0C0, 32 },            /* before MAC */
		{ 0x190, 0x1EF - 0x190 }, /* TEE_TCB_INFO reserved tail */
		{ 0x1EF, 17 },            /* between TEE_TCB_INFO and TDINFO */
		{ 0x3C0, 64 },            /* TDINFO reserved tail */
	};
	for (size_t i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++)
		if (!teeabi_all_zero(buf + rsvd[i].off, rsvd[i].len))
			out->warnings |= TEEABI_W_TDREPORT_RESERVED;
	return TEEABI_OK;
}

/* SHA-384 of [off, off+n) compared with the 48 bytes at want. 1 equal, 0 differ, -1 error. */
static int sha384_eq(const uint8_t *p, size_t n, const uint8_t *want)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(p, n, md, &mdlen, EVP_sha384(), NULL) != 1 || mdlen != 48) {
		ERR_clear_error();
		return -1;
	}
	return memcmp(md, want, 48) == 0;
}

teeabi_err teeabi_tdreport_verify_hashes(const uint8_t *buf, size_t len)
{
	if (!buf)
		return TEEABI_E_NULL;
	if (len != TDREPORT_LEN)
		return TEEABI_E_TDREPORT_SIZE;
	int r = sha384_eq(buf + TDREPORT_OFF_TEE_TCB_INFO, TDREPORT_LEN_TEE_TCB_INFO,
			  buf + TDREPORT_OFF_TEE_TCB_INFO_HASH);
	if (r < 0)
		return TEEABI_E_CRYPTO;
	if (r == 0)
		return TEEABI_E_TDREPORT_TCB_HASH;
	r = sha384_eq(buf + TDREPORT_OFF_TDINFO, TDREPORT_LEN_TDINFO, buf + TDREPORT_OFF_TEE_INFO_HASH);
	if (r < 0)
		return TEEABI_E_CRYPTO;
	if (r == 0)
		return TEEABI_E_TDREPORT_INFO_HASH;
	return TEEABI_OK;
}
