/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi.c - the ioctl table, and a compile-time cross-check of teeabi/abi.h against the
 * system's uapi headers whenever they are installed (Debian 12 ships <linux/sev-guest.h>
 * from 6.1; <linux/tdx-guest.h> arrives with 6.2+ headers).
 */
#include <stddef.h>
#include "teeabi/abi.h"

#if defined(__has_include)
#if __has_include(<linux/sev-guest.h>)
#include <linux/sev-guest.h>
_Static_assert(SNP_GET_REPORT == TEEABI_SNP_GET_REPORT, "system SNP_GET_REPORT differs");
_Static_assert(SNP_GET_DERIVED_KEY == TEEABI_SNP_GET_DERIVED_KEY, "system SNP_GET_DERIVED_KEY differs");
_Static_assert(SNP_GET_EXT_REPORT == TEEABI_SNP_GET_EXT_REPORT, "system SNP_GET_EXT_REPORT differs");
_Static_assert(sizeof(struct snp_guest_request_ioctl) == sizeof(struct teeabi_snp_guest_request_ioctl), "snp_guest_request_ioctl size");
_Static_assert(offsetof(struct snp_guest_request_ioctl, req_data) == offsetof(struct teeabi_snp_guest_request_ioctl, req_data), "req_data");
_Static_assert(offsetof(struct snp_guest_request_ioctl, resp_data) == offsetof(struct teeabi_snp_guest_request_ioctl, resp_data), "resp_data");
_Static_assert(sizeof(struct snp_report_req) == sizeof(struct teeabi_snp_report_req), "snp_report_req size");
_Static_assert(offsetof(struct snp_report_req, vmpl) == offsetof(struct teeabi_snp_report_req, vmpl), "snp_report_req.vmpl");
_Static_assert(sizeof(struct snp_report_resp) == sizeof(struct teeabi_snp_report_resp), "snp_report_resp size");
_Static_assert(sizeof(struct snp_derived_key_req) == sizeof(struct teeabi_snp_derived_key_req), "snp_derived_key_req size");
_Static_assert(offsetof(struct snp_derived_key_req, guest_field_select) == offsetof(struct teeabi_snp_derived_key_req, guest_field_select), "guest_field_select");
_Static_assert(offsetof(struct snp_derived_key_req, tcb_version) == offsetof(struct teeabi_snp_derived_key_req, tcb_version), "tcb_version");
_Static_assert(sizeof(struct snp_derived_key_resp) == sizeof(struct teeabi_snp_derived_key_resp), "snp_derived_key_resp size");
_Static_assert(sizeof(struct snp_ext_report_req) == sizeof(struct teeabi_snp_ext_report_req), "snp_ext_report_req size");
_Static_assert(offsetof(struct snp_ext_report_req, certs_address) == offsetof(struct teeabi_snp_ext_report_req, certs_address), "certs_address");
_Static_assert(offsetof(struct snp_ext_report_req, certs_len) == offsetof(struct teeabi_snp_ext_report_req, certs_len), "certs_len");
const int teeabi_abi_checked_sev_guest_h = 1;
#else
const int teeabi_abi_checked_sev_guest_h = 0;
#endif
#if __has_include(<linux/tdx-guest.h>)
#include <linux/tdx-guest.h>
_Static_assert(TDX_CMD_GET_REPORT0 == TEEABI_TDX_CMD_GET_REPORT0, "system TDX_CMD_GET_REPORT0 differs");
_Static_assert(sizeof(struct tdx_report_req) == sizeof(struct teeabi_tdx_report_req), "tdx_report_req size");
_Static_assert(offsetof(struct tdx_report_req, tdreport) == offsetof(struct teeabi_tdx_report_req, tdreport), "tdreport");
_Static_assert(TDX_REPORTDATA_LEN == TEEABI_TDX_REPORTDATA_LEN && TDX_REPORT_LEN == TEEABI_TDX_REPORT_LEN, "lengths");
const int teeabi_abi_checked_tdx_guest_h = 1;
#else
const int teeabi_abi_checked_tdx_guest_h = 0;
#endif
#else
const int teeabi_abi_checked_sev_guest_h = 0;
const int teeabi_abi_checked_tdx_guest_h = 0;
#endif

const struct teeabi_ioctl_desc teeabi_ioctls[] = {
	{ "TDX_CMD_GET_REPORT0", TEEABI_TDX_CMD_GET_REPORT0, TEEABI_DEV_TDX_GUEST, "upstream v6.2+, dstack module, Intel kernels" },
	{ "TDX_CMD_EXTEND_RTMR", TEEABI_TDX_CMD_EXTEND_RTMR, TEEABI_DEV_TDX_GUEST, "dstack module, Intel kernels (_IOR)" },
	{ "TDX_CMD_EXTEND_RTMR(_IOW)", TEEABI_TDX_CMD_EXTEND_RTMR_IOW, TEEABI_DEV_TDX_GUEST, "dstack module alias, Intel V3_DRIVER" },
	{ "TDX_CMD_VERIFY_REPORT", TEEABI_TDX_CMD_VERIFY_REPORT, TEEABI_DEV_TDX_GUEST, "Intel kernels" },
	{ "TDX_CMD_GET_QUOTE", TEEABI_TDX_CMD_GET_QUOTE, TEEABI_DEV_TDX_GUEST, "Intel kernels" },
	{ "TDX_CMD_VERIFY_REPORT(V3)", TEEABI_TDX_CMD_VERIFY_REPORT_V3, TEEABI_DEV_TDX_GUEST, "Intel V3_DRIVER" },
	{ "TDX_CMD_GET_QUOTE(V3)", TEEABI_TDX_CMD_GET_QUOTE_V3, TEEABI_DEV_TDX_GUEST, "Intel V3_DRIVER" },
	{ "TDX_CMD_GET_TDREPORT(tdx-attest)", TEEABI_TDX_ATTEST_CMD_GET_TDREPORT, "/dev/tdx-attest", "DCAP <=1.15; 1.16 /dev/tdx-guest" },
	{ "TDX_CMD_GEN_QUOTE(tdx-attest)", TEEABI_TDX_ATTEST_CMD_GEN_QUOTE, "/dev/tdx-attest", "DCAP <=1.15; 1.16 GET_QUOTE" },
	{ "TDX_CMD_EXTEND_RTMR(tdx-attest)", TEEABI_TDX_ATTEST_CMD_EXTEND_RTMR, "/dev/tdx-attest", "DCAP <=1.15" },
	{ "TDX_CMD_GET_EXTEND_SIZE(tdx-attest)", TEEABI_TDX_ATTEST_CMD_GET_EXTEND_SIZE, "/dev/tdx-attest", "DCAP <=1.15" },
	{ "SNP_GET_REPORT", TEEABI_SNP_GET_REPORT, TEEABI_DEV_SEV_GUEST, "v6.1+" },
	{ "SNP_GET_DERIVED_KEY", TEEABI_SNP_GET_DERIVED_KEY, TEEABI_DEV_SEV_GUEST, "v6.1+" },
	{ "SNP_GET_EXT_REPORT", TEEABI_SNP_GET_EXT_REPORT, TEEABI_DEV_SEV_GUEST, "v6.1+" },
	{ NULL, 0, NULL, NULL },
};

const char *teeabi_ioctl_name(unsigned long cmd)
{
	for (const struct teeabi_ioctl_desc *d = teeabi_ioctls; d->name; d++)
		if (d->cmd == cmd)
			return d->name;
	return "?";
}
