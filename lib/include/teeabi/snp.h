/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/snp.h - strict, zero-copy parsers for AMD SEV-SNP evidence: the
 * ATTESTATION_REPORT v2/v3/v5 (1184 B), MSG_REPORT_RSP / MSG_KEY_RSP wrappers, the
 * extended-report certificate table, and the report signature check (VCEK/VLEK).
 *
 * Layouts: docs/formats.md §4-§5. Must-be-zero ranges are reported as warnings (real
 * firmware sets some of them); TEEABI_SNP_STRICT_MBZ turns them into E_SNP_MBZ.
 */
#ifndef TEEABI_SNP_H
#define TEEABI_SNP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "teeabi/bytes.h"
#include "teeabi/err.h"

#define SNP_OFF_VERSION        0x000
#define SNP_OFF_GUEST_SVN      0x004
#define SNP_OFF_POLICY         0x008
#define SNP_OFF_FAMILY_ID      0x010
#define SNP_OFF_IMAGE_ID       0x020
#define SNP_OFF_VMPL           0x030
#define SNP_OFF_SIG_ALGO       0x034
#define SNP_OFF_CURRENT_TCB    0x038
#define SNP_OFF_PLATFORM_INFO  0x040
#define SNP_OFF_SIGNER_INFO    0x048
#define SNP_OFF_REPORT_DATA    0x050
#define SNP_OFF_MEASUREMENT    0x090
#define SNP_OFF_HOST_DATA      0x0C0
#define SNP_OFF_ID_KEY_DIGEST  0x0E0
#define SNP_OFF_AUTHOR_KEY_DIGEST 0x110
#define SNP_OFF_REPORT_ID      0x140
#define SNP_OFF_REPORT_ID_MA   0x160
#define SNP_OFF_REPORTED_TCB   0x180
#define SNP_OFF_CPUID_FAM      0x188
#define SNP_OFF_CHIP_ID        0x1A0
#define SNP_OFF_COMMITTED_TCB  0x1E0
#define SNP_OFF_CURRENT_BUILD  0x1E8
#define SNP_OFF_COMMITTED_BUILD 0x1EC
#define SNP_OFF_LAUNCH_TCB     0x1F0
#define SNP_OFF_LAUNCH_MIT     0x1F8
#define SNP_OFF_CURRENT_MIT    0x200
#define SNP_OFF_SIGNATURE      0x2A0 /* R at 0x2A0 (72 B LE), S at 0x2E8 (72 B LE) */
#define SNP_SIGNED_LEN         0x2A0

/* warnings */
#define TEEABI_W_SNP_MBZ_SIGNER     (1u << 0)  /* signer_info bits 31:5 or 0x04C */
#define TEEABI_W_SNP_MBZ_CPUID      (1u << 1)  /* 0x188..0x19F (v2) / 0x18B..0x19F (v3+) */
#define TEEABI_W_SNP_MBZ_FW         (1u << 2)  /* 0x1EB / 0x1EF */
#define TEEABI_W_SNP_MBZ_MIT        (1u << 3)  /* 0x1F8..0x207 in v2-v4 */
#define TEEABI_W_SNP_MBZ_TAIL       (1u << 4)  /* 0x208..0x29F */
#define TEEABI_W_SNP_MBZ_SIG        (1u << 5)  /* 0x330..0x49F unsigned tail, and R/S high bytes */
#define TEEABI_W_SNP_POLICY_RSVD1   (1u << 6)  /* policy bit 17 not set */
#define TEEABI_W_SNP_POLICY_UNKNOWN (1u << 7)  /* policy bits 63:26 */
#define TEEABI_W_SNP_PLATINFO_UNKNOWN (1u << 8) /* platform_info bits beyond 7, or bit 6 */
#define TEEABI_W_SNP_SIGNING_KEY_RSVD (1u << 9) /* signing key 2..6 */
/* The warnings that TEEABI_SNP_STRICT_MBZ turns into E_SNP_MBZ (the must-be-zero ranges). */
#define TEEABI_W_SNP_MBZ_MASK (TEEABI_W_SNP_MBZ_SIGNER | TEEABI_W_SNP_MBZ_CPUID | TEEABI_W_SNP_MBZ_FW | \
			       TEEABI_W_SNP_MBZ_MIT | TEEABI_W_SNP_MBZ_TAIL | TEEABI_W_SNP_MBZ_SIG)
/* "mbz_signer", "mbz_cpuid", ... for one warning bit; NULL for an unknown bit. */
const char *teeabi_snp_warning_name(uint32_t bit);

enum teeabi_snp_gen { TEEABI_SNP_GEN_UNKNOWN, TEEABI_SNP_GEN_MILAN, TEEABI_SNP_GEN_GENOA, TEEABI_SNP_GEN_TURIN, TEEABI_SNP_GEN_VENICE };

/* Decoded TCB_VERSION; both layouts are always filled, .turin says which applies. */
struct teeabi_snp_tcb_fields { uint8_t fmc, bootloader, tee, snp, microcode; };
struct teeabi_snp_tcb {
	uint64_t raw;
	bool turin;
	uint8_t fmc, bootloader, tee, snp, microcode; /* the layout that applies (fmc 0 in legacy) */
	struct teeabi_snp_tcb_fields as_legacy, as_turin; /* both decodings */
};
/* Decode 8 TCB bytes (u64 LE) in both layouts; turin selects the top-level fields. */
void teeabi_snp_tcb_decode(uint64_t raw, bool turin, struct teeabi_snp_tcb *out);

struct teeabi_snp_report {
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	struct {
		uint8_t abi_minor, abi_major;
		bool smt, migrate_ma, debug, single_socket, cxl_allow, mem_aes_256_xts, rapl_dis,
		     ciphertext_hiding, page_swap_disable;
	} policy_bits;
	const uint8_t *family_id, *image_id; /* 16 */
	uint32_t vmpl;
	uint32_t sig_algo;
	uint64_t platform_info;
	uint32_t signer_info;
	struct { bool author_key_en, mask_chip_key; uint8_t signing_key; /* 0 VCEK, 1 VLEK, 7 none */ } signer;
	const uint8_t *report_data;   /* 64 */
	const uint8_t *measurement;   /* 48 */
	const uint8_t *host_data;     /* 32 */
	const uint8_t *id_key_digest, *author_key_digest; /* 48 */
	const uint8_t *report_id, *report_id_ma; /* 32 */
	uint8_t cpuid_fam, cpuid_mod, cpuid_step; /* v3+; 0 in v2 */
	enum teeabi_snp_gen gen;
	const uint8_t *chip_id;       /* 64 */
	struct teeabi_snp_tcb current_tcb, reported_tcb, committed_tcb, launch_tcb;
	uint8_t current_build, current_minor, current_major;
	uint8_t committed_build, committed_minor, committed_major;
	uint64_t launch_mit_vector, current_mit_vector; /* v5 only; 0 otherwise */
	const uint8_t *sig_r, *sig_s; /* 72 each, little-endian */
	size_t trailing_len;
	uint32_t warnings;
};

#define TEEABI_SNP_STRICT_MBZ (1u << 0)
#define TEEABI_SNP_ALLOW_TRAILING (1u << 1) /* accept len > 1184 (e.g. report || certs) */

teeabi_err teeabi_snp_report_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_snp_report *out);
/* ECDSA-P384/SHA-384 over [0, 0x2A0) with the public key of a DER or PEM certificate. */
teeabi_err teeabi_snp_report_verify(const uint8_t *buf, size_t len, const uint8_t *cert, size_t cert_len);

/* MSG_REPORT_RSP: status, report_size, report at 0x20. */
struct teeabi_snp_msg_report_rsp {
	uint32_t status;
	uint32_t report_size;
	struct teeabi_slice report;
};
teeabi_err teeabi_snp_msg_report_rsp_parse(const uint8_t *buf, size_t len, struct teeabi_snp_msg_report_rsp *out);
/* MSG_KEY_RSP: status, key at 0x20. */
struct teeabi_snp_msg_key_rsp {
	uint32_t status;
	const uint8_t *derived_key; /* 32 */
};
teeabi_err teeabi_snp_msg_key_rsp_parse(const uint8_t *buf, size_t len, struct teeabi_snp_msg_key_rsp *out);

/* ---------------------------------------------------------------- certificate table */
#define TEEABI_CERTS_MAX_ENTRIES 64
enum teeabi_cert_kind { TEEABI_CERT_UNKNOWN, TEEABI_CERT_VCEK, TEEABI_CERT_VLEK, TEEABI_CERT_ASK, TEEABI_CERT_ARK, TEEABI_CERT_CRL, TEEABI_CERT_EXTRA_PLATFORM_INFO };
struct teeabi_cert_entry {
	const uint8_t *guid;   /* 16, textual (RFC 4122) byte order */
	uint32_t offset, length;
	enum teeabi_cert_kind kind;
	const char *name;      /* "vcek", "vlek", "ask", "ark", "crl", "extra_platform_info", "unknown" */
	struct teeabi_slice data;
};
struct teeabi_cert_table {
	size_t count;                  /* entries before the terminator */
	size_t table_len;              /* bytes up to and including the terminator */
	size_t end;                    /* max(offset+length) */
	size_t err_entry;              /* on an error: index of the (first) offending entry */
	struct teeabi_cert_entry e[TEEABI_CERTS_MAX_ENTRIES];
};
#define TEEABI_CERTS_ALLOW_OVERLAP   (1u << 0)
#define TEEABI_CERTS_ALLOW_DUPLICATE (1u << 1)
teeabi_err teeabi_snp_cert_table_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_cert_table *out);
/* Well-known GUIDs (docs/kernel-abi.md §2.5), 16 bytes each. */
extern const uint8_t teeabi_guid_vcek[16], teeabi_guid_vlek[16], teeabi_guid_ask[16], teeabi_guid_ark[16], teeabi_guid_crl[16];
extern const uint8_t teeabi_guid_extra_platform_info[16];
/* Kind of a GUID (TEEABI_CERT_UNKNOWN when not well-known). */
enum teeabi_cert_kind teeabi_cert_kind_of(const uint8_t guid[16]);
const char *teeabi_cert_kind_name(enum teeabi_cert_kind k);
/* Format a GUID as 8-4-4-4-12 lowercase; out has 37 bytes. */
void teeabi_guid_str(char out[37], const uint8_t guid[16]);

#endif
