/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/tdx.h - strict, zero-copy parsers for Intel TDX evidence:
 *   TDREPORT_STRUCT (1024 B), DCAP quote v4/v5 with its signature data, the SGX report
 *   body (QE report), plus the crypto checks (TDREPORT hashes, QE binding, quote signature).
 *
 * Layouts and check order: docs/formats.md §1-§3. Every pointer in a parsed view points
 * into the caller's buffer, which must outlive the view. Parsers never allocate, never
 * read outside [buf, buf+len), and return exactly one teeabi_err per failed check.
 */
#ifndef TEEABI_TDX_H
#define TEEABI_TDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "teeabi/bytes.h"
#include "teeabi/err.h"

/* ---------------------------------------------------------------- TDREPORT offsets */
#define TDREPORT_OFF_TYPE            0x000
#define TDREPORT_OFF_CPUSVN          0x010
#define TDREPORT_OFF_TEE_TCB_INFO_HASH 0x020
#define TDREPORT_OFF_TEE_INFO_HASH   0x050
#define TDREPORT_OFF_REPORTDATA      0x080
#define TDREPORT_OFF_MAC             0x0E0
#define TDREPORT_OFF_TEE_TCB_INFO    0x100
#define TDREPORT_LEN_TEE_TCB_INFO    239
#define TDREPORT_OFF_VALID           0x100
#define TDREPORT_OFF_TEE_TCB_SVN     0x108
#define TDREPORT_OFF_MRSEAM          0x118
#define TDREPORT_OFF_MRSIGNERSEAM    0x148
#define TDREPORT_OFF_SEAM_ATTRIBUTES 0x178
#define TDREPORT_OFF_TEE_TCB_SVN2    0x180
#define TDREPORT_OFF_TDINFO          0x200
#define TDREPORT_LEN_TDINFO          512
#define TDREPORT_OFF_ATTRIBUTES      0x200
#define TDREPORT_OFF_XFAM            0x208
#define TDREPORT_OFF_MRTD            0x210
#define TDREPORT_OFF_MRCONFIGID      0x240
#define TDREPORT_OFF_MROWNER         0x270
#define TDREPORT_OFF_MROWNERCONFIG   0x2A0
#define TDREPORT_OFF_RTMR0           0x2D0 /* rtmr[i] at 0x2D0 + 48*i */
#define TDREPORT_OFF_SERVTD_HASH     0x390

/* Warnings: non-fatal observations, OR-ed into .warnings of a view. */
#define TEEABI_W_TDREPORT_VERSION    (1u << 0)  /* REPORTTYPE.VERSION not 0 */
#define TEEABI_W_TDREPORT_RESERVED   (1u << 1)  /* a reserved range is non-zero */
#define TEEABI_W_QUOTE_QE_VENDOR     (1u << 2)  /* qe_vendor_id is not Intel's */
#define TEEABI_W_QUOTE_TRAILING      (1u << 3)  /* trailing bytes after the quote */
#define TEEABI_W_QUOTE_TRAILING_NZ   (1u << 4)  /* ... and some are non-zero */
#define TEEABI_W_QUOTE_PEM_NUL       (1u << 5)  /* inner type-5 chain ends with a NUL (tolerated) */
#define TEEABI_W_QUOTE_SEAM_ATTR     (1u << 6)  /* seam_attributes non-zero */
#define TEEABI_W_QE_RESERVED         (1u << 7)  /* QE report reserved fields non-zero */
#define TEEABI_W_QUOTE_CERTSIZE_SLACK (1u << 8) /* S + 134 < signature_data_len (only without STRICT_CERTSIZE) */
#define TEEABI_W_QUOTE_SGX_RESERVED  (1u << 9)  /* v5 type-1 (SGX) body: reserved fields non-zero */

/* Fields shared by a TDREPORT and a TD quote body. Pointers into the caller's buffer. */
struct teeabi_td_fields {
	const uint8_t *tee_tcb_svn;    /* 16 */
	const uint8_t *mrseam;         /* 48 */
	const uint8_t *mrsignerseam;   /* 48 */
	uint64_t seam_attributes;
	uint64_t td_attributes;
	uint64_t xfam;
	const uint8_t *mrtd;           /* 48 */
	const uint8_t *mrconfigid;     /* 48 */
	const uint8_t *mrowner;        /* 48 */
	const uint8_t *mrownerconfig;  /* 48 */
	const uint8_t *rtmr[4];        /* 48 each */
	const uint8_t *report_data;    /* 64 */
	const uint8_t *tee_tcb_svn2;   /* 16, NULL when absent (TD10 body) */
	const uint8_t *mr_servicetd;   /* 48, NULL when absent (TD10 body) */
};

/* ---------------------------------------------------------------- TDREPORT */
struct teeabi_tdreport {
	uint8_t type, subtype, version;
	const uint8_t *cpusvn;            /* 16 */
	const uint8_t *tee_tcb_info_hash; /* 48 */
	const uint8_t *tee_info_hash;     /* 48 */
	const uint8_t *mac;               /* 32 */
	uint64_t valid;                   /* TEE_TCB_INFO.VALID bitmap */
	bool tdx15;                       /* VALID has the TEE_TCB_SVN2 chunks (0x30000) */
	struct teeabi_td_fields td;       /* tee_tcb_svn2 / mr_servicetd always set (TDINFO has them) */
	uint32_t warnings;
};
/* Strict structure check: len must be 1024, TYPE 0x81, SUBTYPE 0. No hashing. */
teeabi_err teeabi_tdreport_parse(const uint8_t *buf, size_t len, struct teeabi_tdreport *out);
/* SHA-384 checks of TEE_TCB_INFO_HASH and TEE_INFO_HASH (formats.md §1.2). buf is 1024 B. */
teeabi_err teeabi_tdreport_verify_hashes(const uint8_t *buf, size_t len);

/* ---------------------------------------------------------------- SGX report body (384 B) */
struct teeabi_sgx_report {
	const uint8_t *cpu_svn;       /* 16 */
	uint32_t misc_select;
	const uint8_t *attributes;    /* 16 */
	const uint8_t *mr_enclave;    /* 32 */
	const uint8_t *mr_signer;     /* 32 */
	const uint8_t *config_id;     /* 64 */
	uint16_t isv_prod_id, isv_svn, config_svn;
	const uint8_t *isv_family_id; /* 16 */
	const uint8_t *report_data;   /* 64 */
	uint32_t warnings;
	const uint8_t *isv_ext_prod_id; /* 16 (KSS) */
};
#define TEEABI_SGX_REPORT_LEN 384
teeabi_err teeabi_sgx_report_parse(const uint8_t *buf, size_t len, struct teeabi_sgx_report *out);

/* ---------------------------------------------------------------- DCAP quote v4 / v5 */
#define TEEABI_QUOTE_BODY_SGX  1
#define TEEABI_QUOTE_BODY_TD10 2
#define TEEABI_QUOTE_BODY_TD15 3

struct teeabi_tdx_quote {
	/* header */
	uint16_t version;        /* 4 or 5 */
	uint16_t att_key_type;   /* 2 */
	uint32_t tee_type;       /* 0x81 or 0 */
	uint16_t hdr_svn_a;      /* bytes 8..9 (qe_svn per Intel QVL) */
	uint16_t hdr_svn_b;      /* bytes 10..11 (pce_svn per Intel QVL) */
	const uint8_t *qe_vendor_id; /* 16 */
	const uint8_t *user_data;    /* 20 */
	/* body */
	uint16_t body_type;      /* v4: TD10 implied; v5: from the descriptor */
	uint32_t body_size;      /* 584 / 648 / 384 */
	size_t body_offset;      /* 48 (v4) or 54 (v5) */
	struct teeabi_td_fields td;    /* valid for TD10/TD15 bodies */
	struct teeabi_sgx_report sgx;  /* valid for an SGX body (type 1) */
	/* signed range: [0, signed_len) */
	size_t signed_len;
	/* signature data */
	uint32_t sig_data_len;
	const uint8_t *signature;    /* 64: r||s big-endian */
	const uint8_t *att_key;      /* 64: X||Y big-endian */
	uint16_t cert_type;          /* 6 */
	uint32_t cert_size;          /* S */
	const uint8_t *qe_report;    /* 384 (raw) */
	struct teeabi_sgx_report qe; /* parsed QE report */
	const uint8_t *qe_report_sig;/* 64 */
	struct teeabi_slice qe_auth; /* N bytes */
	uint16_t inner_cert_type;    /* 1..5 */
	struct teeabi_slice inner_cert; /* M bytes, opaque (PEM or DER), a trailing NUL included */
	/* totals */
	size_t quote_len;            /* end of the signature data */
	size_t trailing_len;         /* len - quote_len */
	bool trailing_all_zero;
	uint32_t warnings;
};

#define TEEABI_QUOTE_STRICT_VENDOR   (1u << 0) /* reject a non-Intel qe_vendor_id */
#define TEEABI_QUOTE_STRICT_TRAILING (1u << 1) /* reject non-zero trailing bytes */
#define TEEABI_QUOTE_STRICT_CERTSIZE (1u << 2) /* require S + 134 == signature_data_len (default) */
#define TEEABI_QUOTE_DEFAULT         TEEABI_QUOTE_STRICT_CERTSIZE

/* Structural parse (no hashing, no signatures). Checks in the order of formats.md §2.10. */
teeabi_err teeabi_tdx_quote_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_tdx_quote *out);
/* ECDSA-P256/SHA-256 of the signed range under att_key. */
teeabi_err teeabi_tdx_quote_verify_signature(const uint8_t *buf, const struct teeabi_tdx_quote *q);
/* SHA-256(att_key || qe_auth) == qe.report_data[0..32) and report_data[32..64) == 0. */
teeabi_err teeabi_tdx_quote_verify_qe_binding(const struct teeabi_tdx_quote *q);
/* QE report signature (ECDSA-P256 over the 384-byte QE report) under the first certificate
 * of the inner type-5 PEM/DER chain. E_CERT_PARSE when the chain is unusable. */
teeabi_err teeabi_tdx_quote_verify_qe_report_sig(const struct teeabi_tdx_quote *q);

extern const uint8_t teeabi_intel_qe_vendor_id[16];

#endif
