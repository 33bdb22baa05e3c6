/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_sgx_report.c - SGX enclave report body parser (lib/sgx_report.c), the QE
 * report of a DCAP quote and the v5 type-1 body.
 *
 * Input: the raw bytes handed to teeabi_sgx_report_parse.
 * Properties (docs/formats.md §3, offsets written out here): success exactly when the
 * input is 384 bytes; then every field is the slice or LE integer at its offset, and the
 * reserved warning is set exactly when one of the reserved ranges 20..32, 96..128,
 * 160..192, 262..304 has a non-zero byte.
 */
#include "fuzz.h"
#include "teeabi/err.h"
#include "teeabi/tdx.h"

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct teeabi_sgx_report s;
	teeabi_err e = teeabi_sgx_report_parse(d, size, &s);
	if (size != 384) {
		FZ_CHECK(e == TEEABI_E_SGX_REPORT_SIZE, "%zu bytes: %s", size, teeabi_err_name(e));
		FZ_CHECK(s.cpu_svn == NULL && s.report_data == NULL && s.warnings == 0, "view not cleared on error");
		return 0;
	}
	FZ_CHECK(e == TEEABI_OK, "384 bytes: %s", teeabi_err_name(e));
	FZ_CHECK(s.cpu_svn == d + 0, "cpu_svn");
	FZ_CHECK(s.misc_select == ((uint32_t)d[16] | (uint32_t)d[17] << 8 | (uint32_t)d[18] << 16 | (uint32_t)d[19] << 24),
		 "misc_select");
	FZ_CHECK(s.isv_ext_prod_id == d + 32, "isv_ext_prod_id");
	FZ_CHECK(s.attributes == d + 48, "attributes");
	FZ_CHECK(s.mr_enclave == d + 64, "mr_enclave");
	FZ_CHECK(s.mr_signer == d + 128, "mr_signer");
	FZ_CHECK(s.config_id == d + 192, "config_id");
	FZ_CHECK(s.isv_prod_id == (d[256] | d[257] << 8), "isv_prod_id");
	FZ_CHECK(s.isv_svn == (d[258] | d[259] << 8), "isv_svn");
	FZ_CHECK(s.config_svn == (d[260] | d[261] << 8), "config_svn");
	FZ_CHECK(s.isv_family_id == d + 304, "isv_family_id");
	FZ_CHECK(s.report_data == d + 320, "report_data");
	int rsvd = !zero(d + 20, 12) || !zero(d + 96, 32) || !zero(d + 160, 32) || !zero(d + 262, 42);
	FZ_CHECK(s.warnings == (rsvd ? TEEABI_W_QE_RESERVED : 0u), "warnings 0x%x, reserved non-zero %d", s.warnings,
		 rsvd);
	return 0;
}
