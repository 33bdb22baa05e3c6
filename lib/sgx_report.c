/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sgx_report.c - SGX enclave report body (384 bytes), used as the QE report of a DCAP quote
 * and as the v5 type-1 body. Layout: docs/formats.md §3. Reserved fields that are non-zero
 * set TEEABI_W_QE_RESERVED; they are not an error (the caller decides).
 */
#include <string.h>
#include "teeabi/tdx.h"

teeabi_err teeabi_sgx_report_parse(const uint8_t *buf, size_t len, struct teeabi_sgx_report *out)
{
	if (!buf || !out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (len != TEEABI_SGX_REPORT_LEN)
		return TEEABI_E_SGX_REPORT_SIZE;
	out->cpu_svn = buf + 0;
	out->misc_select = teeabi_le32(buf + 16);
	out->isv_ext_prod_id = buf + 32;
	out->attributes = buf + 48;
	out->mr_enclave = buf + 64;
	out->mr_signer = buf + 128;
	out->config_id = buf + 192;
	out->isv_prod_id = teeabi_le16(buf + 256);
	out->isv_svn = teeabi_le16(buf + 258);
	out->config_svn = teeabi_le16(buf + 260);
	out->isv_family_id = buf + 304;
	out->report_data = buf + 320;
	if (!teeabi_all_zero(buf + 20, 12) ||   /* reserved1 */
	    !teeabi_all_zero(buf + 96, 32) ||   /* reserved2 */
	    !teeabi_all_zero(buf + 160, 32) ||  /* reserved3 */
	    !teeabi_all_zero(buf + 262, 42))    /* reserved4 */
		out->warnings |= TEEABI_W_QE_RESERVED;
	return TEEABI_OK;
}
