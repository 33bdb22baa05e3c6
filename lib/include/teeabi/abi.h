/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/abi.h - ioctl numbers and argument structs of every driver generation that a
 * confidential-VM guest may meet, as user space sees them on x86-64.
 *
 * Sources (docs/kernel-abi.md):
 *   upstream tdx-guest        include/uapi/linux/tdx-guest.h            (§1.2, v6.2+)
 *   dstack out-of-tree module dstack mod-tdx-guest/tdx-guest.h v0.3-0.5.11 (docs/dstack-os.md §1.2)
 *   Intel downstream kernels  intel/tdx include/uapi/linux/tdx-guest.h  (§1.5)
 *   DCAP <=1.15 / 1.16        tdx-attest / tdx-guest nodes              (§1.5)
 *   sev-guest                 include/uapi/linux/sev-guest.h            (§2.2)
 *
 * Every struct has compile-time size and offset assertions below. When the system ships
 * <linux/sev-guest.h> or <linux/tdx-guest.h>, abi_check.c cross-checks against them.
 */
#ifndef TEEABI_ABI_H
#define TEEABI_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* ---------------------------------------------------------------- TDX: common sizes */
#define TEEABI_TDX_REPORTDATA_LEN 64
#define TEEABI_TDX_REPORT_LEN     1024
#define TEEABI_TDX_RTMR_COUNT     4
#define TEEABI_SHA384_LEN         48

/* ---------------------------------------------------------------- TDX: upstream (v6.2+) */
struct teeabi_tdx_report_req {
	uint8_t reportdata[TEEABI_TDX_REPORTDATA_LEN]; /* in  */
	uint8_t tdreport[TEEABI_TDX_REPORT_LEN];       /* out */
};
#define TEEABI_TDX_CMD_GET_REPORT0 _IOWR('T', 1, struct teeabi_tdx_report_req) /* 0xC4405401 */

/* ------------------------------------------- TDX: dstack module (v0.3.x - v0.5.11) and
 * Intel downstream kernels: EXTEND_RTMR {data[48]; index} = 49 bytes. */
struct teeabi_tdx_extend_rtmr_req {
	uint8_t data[TEEABI_SHA384_LEN];
	uint8_t index;
};
#define TEEABI_TDX_CMD_EXTEND_RTMR     _IOR('T', 3, struct teeabi_tdx_extend_rtmr_req) /* 0x80315403 */
#define TEEABI_TDX_CMD_EXTEND_RTMR_IOW _IOW('T', 3, struct teeabi_tdx_extend_rtmr_req) /* 0x40315403 */

/* ------------------------------------------- TDX: Intel downstream (intel/tdx, DCAP 1.18+) */
struct teeabi_tdx_verify_report_req {
	uint8_t reportmac[256];
	uint64_t err_code;
};
struct teeabi_tdx_quote_req {
	uint64_t buf;  /* user pointer to a tdx_quote_hdr + data */
	uint64_t len;
};
#define TEEABI_TDX_CMD_VERIFY_REPORT   _IOR('T', 2, struct teeabi_tdx_verify_report_req) /* 0x81085402 */
#define TEEABI_TDX_CMD_GET_QUOTE       _IOR('T', 4, struct teeabi_tdx_quote_req)         /* 0x80105404 */
/* "V3_DRIVER" variants */
#define TEEABI_TDX_CMD_VERIFY_REPORT_V3 _IOWR('T', 2, struct teeabi_tdx_verify_report_req) /* 0xC1085402 */
#define TEEABI_TDX_CMD_GET_QUOTE_V3     _IOWR('T', 4, struct teeabi_tdx_quote_req)         /* 0xC0105404 */

/* GHCI GetQuote shared buffer header (tdx_quote_buf / tdx_quote_hdr), 24 bytes. */
struct teeabi_tdx_quote_hdr {
	uint64_t version;  /* 1 */
	uint64_t status;
	uint32_t in_len;
	uint32_t out_len;
	/* uint8_t data[]; */
};
#define TEEABI_GETQUOTE_SUCCESS        0x0ULL
#define TEEABI_GETQUOTE_IN_FLIGHT      0xFFFFFFFFFFFFFFFFULL
#define TEEABI_GETQUOTE_ERROR          0x8000000000000000ULL
#define TEEABI_GETQUOTE_SERVICE_UNAVAIL 0x8000000000000001ULL

/* ------------------------------------------- TDX: DCAP <= 1.15 (/dev/tdx-attest) and 1.16 (/dev/tdx-guest) */
#define TEEABI_TDX_ATTEST_CMD_GET_TDREPORT   _IOWR('T', 1, uint64_t) /* 0xC0085401 */
#define TEEABI_TDX_ATTEST_CMD_GEN_QUOTE      _IOR('T', 2, uint64_t)  /* 0x80085402 */
#define TEEABI_TDX_ATTEST_CMD_EXTEND_RTMR    _IOR('T', 4, uint64_t)  /* 0x80085404 */
#define TEEABI_TDX_ATTEST_CMD_GET_EXTEND_SIZE _IOR('T', 5, uint64_t) /* 0x80085405 */
struct teeabi_tdx116_report_req {
	uint8_t subtype;
	uint64_t reportdata;  /* user pointer */
	uint32_t rpd_len;
	uint64_t tdreport;    /* user pointer */
	uint32_t tdr_len;
};

/* ---------------------------------------------------------------- SEV-SNP */
struct teeabi_snp_guest_request_ioctl {
	uint8_t msg_version;
	uint64_t req_data;   /* user pointer */
	uint64_t resp_data;  /* user pointer */
	union {
		uint64_t exitinfo2;
		struct {
			uint32_t fw_error;
			uint32_t vmm_error;
		};
	};
};
struct teeabi_snp_report_req {
	uint8_t user_data[64];
	uint32_t vmpl;
	uint8_t rsvd[28];
};
struct teeabi_snp_report_resp {
	uint8_t data[4000];
};
struct teeabi_snp_derived_key_req {
	uint32_t root_key_select;
	uint32_t rsvd;
	uint64_t guest_field_select;
	uint32_t vmpl;
	uint32_t guest_svn;
	uint64_t tcb_version;
};
struct teeabi_snp_derived_key_resp {
	uint8_t data[64];
};
struct teeabi_snp_ext_report_req {
	struct teeabi_snp_report_req data;
	uint64_t certs_address;  /* user pointer */
	uint32_t certs_len;
};
#define TEEABI_SNP_GET_REPORT      _IOWR('S', 0x0, struct teeabi_snp_guest_request_ioctl) /* 0xC0205300 */
#define TEEABI_SNP_GET_DERIVED_KEY _IOWR('S', 0x1, struct teeabi_snp_guest_request_ioctl) /* 0xC0205301 */
#define TEEABI_SNP_GET_EXT_REPORT  _IOWR('S', 0x2, struct teeabi_snp_guest_request_ioctl) /* 0xC0205302 */

#define TEEABI_SNP_FW_ERR_MASK            0xFFFFFFFFULL
#define TEEABI_SNP_VMM_ERR_SHIFT          32
#define TEEABI_SNP_VMM_ERR_INVALID_LEN    1
#define TEEABI_SNP_VMM_ERR_BUSY           2
#define TEEABI_SNP_EXITINFO2_EARLY        0xffULL           /* preset by the driver before dispatch */
#define TEEABI_SNP_EXITINFO2_NO_FW_CALL   0xFFFFFFFFFFFFFFFFULL /* SEV_RET_NO_FW_CALL, v6.3+ */
#define TEEABI_SNP_CERTS_MAX              0x4000            /* SEV_FW_BLOB_MAX_SIZE */
#define TEEABI_SNP_PAGE_SIZE              4096
#define TEEABI_SNP_REPORT_LEN             0x4A0             /* 1184 */
#define TEEABI_SNP_MSG_REPORT_RSP_HDR     0x20
#define TEEABI_SNP_MSG_KEY_RSP_LEN        0x40
#define TEEABI_SEV_RET_SUCCESS            0x00
#define TEEABI_SEV_RET_INVALID_PARAM      0x16
#define TEEABI_SEV_RET_INVALID_KEY        0x27

/* ---------------------------------------------------------------- configfs-tsm */
#define TEEABI_TSM_REPORT_ROOT   "/sys/kernel/config/tsm/report"
#define TEEABI_TSM_INBLOB_MAX    64
#define TEEABI_TSM_OUTBLOB_MAX_67  (32 * 1024)          /* SZ_32K, v6.7 */
#define TEEABI_TSM_OUTBLOB_MAX_NEW (16 * 1024 * 1024)   /* SZ_16M, later trees */
#define TEEABI_TSM_PRIVLEVEL_MAX 3
/* SVSM attestation through configfs-tsm (6.11+, provider sev_guest, guest above VMPL0;
 * kernel-abi.md §2.6): service_provider must be "svsm"; service_guid takes the text form,
 * all zero = every service. GUIDs of coconut-svsm kernel/src/protocols/attest.rs: the
 * services manifest (header of the all-services GUID table) and the vTPM service. */
#define TEEABI_TSM_SERVICE_PROVIDER_SVSM "svsm"
#define TEEABI_SVSM_SERVICES_MANIFEST_GUID "63849ebb-3d92-4670-a1ff-58f9c94b87bb"
#define TEEABI_SVSM_VTPM_GUID "c476f1eb-0123-45a5-9641-b4e7dde5bfe3"
#define TEEABI_SVSM_GUID_ENTRY_LEN 24 /* manifest header and each entry: guid[16], u32, u32 */
#define TEEABI_TDX_MEASUREMENTS_DIR "/sys/devices/virtual/misc/tdx_guest/measurements"
#define TEEABI_DEV_TDX_GUEST "/dev/tdx_guest"
#define TEEABI_DEV_SEV_GUEST "/dev/sev-guest"

/* ---------------------------------------------------------------- compile-time checks */
#define TEEABI_ASSERT_SIZE(t, n) _Static_assert(sizeof(t) == (n), #t " must be " #n " bytes")
#define TEEABI_ASSERT_OFF(t, f, n) _Static_assert(offsetof(t, f) == (n), #t "." #f " must be at " #n)

TEEABI_ASSERT_SIZE(struct teeabi_tdx_report_req, 1088);
TEEABI_ASSERT_OFF(struct teeabi_tdx_report_req, tdreport, 64);
TEEABI_ASSERT_SIZE(struct teeabi_tdx_extend_rtmr_req, 49);
TEEABI_ASSERT_OFF(struct teeabi_tdx_extend_rtmr_req, index, 48);
TEEABI_ASSERT_SIZE(struct teeabi_tdx_verify_report_req, 264);
TEEABI_ASSERT_SIZE(struct teeabi_tdx_quote_req, 16);
TEEABI_ASSERT_SIZE(struct teeabi_tdx_quote_hdr, 24);
TEEABI_ASSERT_SIZE(struct teeabi_tdx116_report_req, 40);
TEEABI_ASSERT_OFF(struct teeabi_tdx116_report_req, reportdata, 8);
TEEABI_ASSERT_OFF(struct teeabi_tdx116_report_req, rpd_len, 16);
TEEABI_ASSERT_OFF(struct teeabi_tdx116_report_req, tdreport, 24);
TEEABI_ASSERT_OFF(struct teeabi_tdx116_report_req, tdr_len, 32);
TEEABI_ASSERT_SIZE(struct teeabi_snp_guest_request_ioctl, 32);
TEEABI_ASSERT_OFF(struct teeabi_snp_guest_request_ioctl, req_data, 8);
TEEABI_ASSERT_OFF(struct teeabi_snp_guest_request_ioctl, resp_data, 16);
TEEABI_ASSERT_OFF(struct teeabi_snp_guest_request_ioctl, exitinfo2, 24);
TEEABI_ASSERT_OFF(struct teeabi_snp_guest_request_ioctl, vmm_error, 28);
TEEABI_ASSERT_SIZE(struct teeabi_snp_report_req, 96);
TEEABI_ASSERT_OFF(struct teeabi_snp_report_req, vmpl, 64);
TEEABI_ASSERT_OFF(struct teeabi_snp_report_req, rsvd, 68);
TEEABI_ASSERT_SIZE(struct teeabi_snp_report_resp, 4000);
TEEABI_ASSERT_SIZE(struct teeabi_snp_derived_key_req, 32);
TEEABI_ASSERT_OFF(struct teeabi_snp_derived_key_req, guest_field_select, 8);
TEEABI_ASSERT_OFF(struct teeabi_snp_derived_key_req, vmpl, 16);
TEEABI_ASSERT_OFF(struct teeabi_snp_derived_key_req, guest_svn, 20);
TEEABI_ASSERT_OFF(struct teeabi_snp_derived_key_req, tcb_version, 24);
TEEABI_ASSERT_SIZE(struct teeabi_snp_derived_key_resp, 64);
TEEABI_ASSERT_SIZE(struct teeabi_snp_ext_report_req, 112);
TEEABI_ASSERT_OFF(struct teeabi_snp_ext_report_req, certs_address, 96);
TEEABI_ASSERT_OFF(struct teeabi_snp_ext_report_req, certs_len, 104);

/* The numbers themselves, as documented (x86-64). */
_Static_assert(TEEABI_TDX_CMD_GET_REPORT0 == 0xC4405401u, "GET_REPORT0");
_Static_assert(TEEABI_TDX_CMD_EXTEND_RTMR == 0x80315403u, "EXTEND_RTMR _IOR");
_Static_assert(TEEABI_TDX_CMD_EXTEND_RTMR_IOW == 0x40315403u, "EXTEND_RTMR _IOW");
_Static_assert(TEEABI_TDX_CMD_VERIFY_REPORT == 0x81085402u, "VERIFY_REPORT");
_Static_assert(TEEABI_TDX_CMD_GET_QUOTE == 0x80105404u, "GET_QUOTE");
_Static_assert(TEEABI_TDX_CMD_VERIFY_REPORT_V3 == 0xC1085402u, "VERIFY_REPORT V3");
_Static_assert(TEEABI_TDX_CMD_GET_QUOTE_V3 == 0xC0105404u, "GET_QUOTE V3");
_Static_assert(TEEABI_TDX_ATTEST_CMD_GET_TDREPORT == 0xC0085401u, "tdx-attest GET_TDREPORT");
_Static_assert(TEEABI_TDX_ATTEST_CMD_GEN_QUOTE == 0x80085402u, "tdx-attest GEN_QUOTE");
_Static_assert(TEEABI_TDX_ATTEST_CMD_EXTEND_RTMR == 0x80085404u, "tdx-attest EXTEND_RTMR");
_Static_assert(TEEABI_TDX_ATTEST_CMD_GET_EXTEND_SIZE == 0x80085405u, "tdx-attest GET_EXTEND_SIZE");
_Static_assert(TEEABI_SNP_GET_REPORT == 0xC0205300u, "SNP_GET_REPORT");
_Static_assert(TEEABI_SNP_GET_DERIVED_KEY == 0xC0205301u, "SNP_GET_DERIVED_KEY");
_Static_assert(TEEABI_SNP_GET_EXT_REPORT == 0xC0205302u, "SNP_GET_EXT_REPORT");

/* One line per ioctl for tools and reports. */
struct teeabi_ioctl_desc {
	const char *name;
	unsigned long cmd;
	const char *node;   /* device node */
	const char *where;  /* which driver generation */
};
/* NULL-terminated table of every ioctl above. */
extern const struct teeabi_ioctl_desc teeabi_ioctls[];
const char *teeabi_ioctl_name(unsigned long cmd); /* "?" when unknown */

#endif
