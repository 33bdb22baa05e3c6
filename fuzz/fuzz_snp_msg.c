/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_snp_msg.c - MSG_REPORT_RSP and MSG_KEY_RSP parsers (lib/snp_msg.c).
 *
 * Input: one firmware response buffer (e.g. the 4000-byte snp_report_resp.data), handed
 * to both parsers.
 * Properties (docs/formats.md §5.1): MSG_REPORT_RSP is OK exactly when len >= 0x20,
 * STATUS 0, REPORT_SIZE 0x4A0 and 0x20 + REPORT_SIZE <= len (checked in that order);
 * status/report_size equal the LE words at 0 and 4 whenever they were read; the report
 * slice is [0x20, 0x20 + 0x4A0) of the input. MSG_KEY_RSP is OK exactly when len >= 0x40
 * and STATUS 0, with the key at 0x20. The nested report goes through the report parser
 * and its version is the LE word at 0x20.
 */
#include "fuzz.h"
#include "teeabi/err.h"
#include "teeabi/snp.h"

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct teeabi_snp_msg_report_rsp m;
	teeabi_err e = teeabi_snp_msg_report_rsp_parse(d, size, &m);
	teeabi_err want;
	if (size < 0x20)
		want = TEEABI_E_SNP_MSG_SHORT;
	else if (rd32(d) != 0)
		want = TEEABI_E_SNP_MSG_STATUS;
	else if (rd32(d + 4) != 0x4A0)
		want = TEEABI_E_SNP_MSG_REPORT_SIZE;
	else if (size < 0x20 + 0x4A0)
		want = TEEABI_E_SNP_MSG_BOUNDS;
	else
		want = TEEABI_OK;
	FZ_CHECK(e == want, "report_rsp: %s, expected %s", teeabi_err_name(e), teeabi_err_name(want));
	if (size >= 0x20)
		FZ_CHECK(m.status == rd32(d) && m.report_size == rd32(d + 4), "status/report_size");
	if (e == TEEABI_OK) {
		FZ_CHECK(m.report.p == d + 0x20 && m.report.len == 0x4A0, "report slice");
		FZ_CHECK(m.report.p + m.report.len <= d + size, "report slice past the buffer");
		struct teeabi_snp_report r;
		teeabi_err re = teeabi_snp_report_parse(m.report.p, m.report.len, 0, &r);
		if (re == TEEABI_OK)
			FZ_CHECK(r.version == rd32(d + 0x20), "nested report version");
		else
			FZ_CHECK(re == TEEABI_E_SNP_VERSION || re == TEEABI_E_SNP_SIG_ALGO, "nested report: %s",
				 teeabi_err_name(re));
	} else {
		FZ_CHECK(m.report.p == NULL && m.report.len == 0, "report slice set on error");
	}

	struct teeabi_snp_msg_key_rsp k;
	e = teeabi_snp_msg_key_rsp_parse(d, size, &k);
	want = size < 0x40 ? TEEABI_E_SNP_KEY_SHORT : rd32(d) ? TEEABI_E_SNP_KEY_STATUS : TEEABI_OK;
	FZ_CHECK(e == want, "key_rsp: %s, expected %s", teeabi_err_name(e), teeabi_err_name(want));
	if (size >= 0x40)
		FZ_CHECK(k.status == rd32(d), "key status");
	FZ_CHECK(k.derived_key == (e == TEEABI_OK ? d + 0x20 : NULL), "derived_key");
	return 0;
}
