/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snp_msg.c - MSG_REPORT_RSP and MSG_KEY_RSP (docs/formats.md §5.1, kernel-abi.md §2.4).
 * The report itself is not parsed here: hand .report to teeabi_snp_report_parse.
 */
#include <string.h>
#include "teeabi/snp.h"

#define MSG_HDR_LEN 0x20u
#define SNP_REPORT_LEN 0x4A0u

teeabi_err teeabi_snp_msg_report_rsp_parse(const uint8_t *buf, size_t len, struct teeabi_snp_msg_report_rsp *out)
{
	if (!buf || !out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (len < MSG_HDR_LEN)
		return TEEABI_E_SNP_MSG_SHORT;
	out->status = teeabi_le32(buf);
	out->report_size = teeabi_le32(buf + 4);
	if (out->status != 0)
		return TEEABI_E_SNP_MSG_STATUS;
	if (out->report_size != SNP_REPORT_LEN)
		return TEEABI_E_SNP_MSG_REPORT_SIZE;
	/* u64: 0x20 + a u32 cannot wrap */
	if ((uint64_t)MSG_HDR_LEN + (uint64_t)out->report_size > (uint64_t)len)
		return TEEABI_E_SNP_MSG_BOUNDS;
	out->report.p = buf + MSG_HDR_LEN;
	out->report.len = out->report_size;
	return TEEABI_OK;
}

teeabi_err teeabi_snp_msg_key_rsp_parse(const uint8_t *buf, size_t len, struct teeabi_snp_msg_key_rsp *out)
{
	if (!buf || !out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (len < 0x40)
		return TEEABI_E_SNP_KEY_SHORT;
	out->status = teeabi_le32(buf);
	if (out->status != 0)
		return TEEABI_E_SNP_KEY_STATUS;
	out->derived_key = buf + MSG_HDR_LEN;
	return TEEABI_OK;
}
