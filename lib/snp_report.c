/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snp_report.c - AMD SEV-SNP ATTESTATION_REPORT v2..v5 (docs/formats.md §4).
 *
 * Checks, in order: length (exactly 1184 unless TEEABI_SNP_ALLOW_TRAILING), VERSION 2..5,
 * SIGNATURE_ALGO 1. Everything else is decoded; must-be-zero ranges and unknown bits are
 * reported as warnings, and the MBZ ones become E_SNP_MBZ with TEEABI_SNP_STRICT_MBZ.
 */
#include <stddef.h>
#include <string.h>
#include "teeabi/snp.h"

#define SNP_REPORT_LEN 0x4A0

static const char *const warn_names[] = {
	"mbz_signer", "mbz_cpuid", "mbz_fw", "mbz_mit", "mbz_tail", "mbz_sig",
	"policy_rsvd1", "policy_unknown", "platinfo_unknown", "signing_key_rsvd",
};

const char *teeabi_snp_warning_name(uint32_t bit)
{
	for (unsigned i = 0; i < sizeof(warn_names) / sizeof(warn_names[0]); i++)
		if (bit == (1u << i))
			return warn_names[i];
	return NULL;
}

/* The decode, inlined into the report parse (four TCBs a report). The 16 bytes after raw
 * (turin, the five fields that apply, both decodings: layout checked below) are computed
 * as two words and stored as two: byte by byte, gcc builds each word from single bytes
 * with a shift and an OR apiece, most of the parse time. A decoding as a 40-bit number,
 * byte i of the fields at bits 8i. */
#define TCB_TAIL offsetof(struct teeabi_snp_tcb, turin)
_Static_assert(offsetof(struct teeabi_snp_tcb, fmc) == TCB_TAIL + 1 &&
		       offsetof(struct teeabi_snp_tcb, microcode) == TCB_TAIL + 5 &&
		       offsetof(struct teeabi_snp_tcb, as_legacy) == TCB_TAIL + 6 &&
		       offsetof(struct teeabi_snp_tcb, as_turin) == TCB_TAIL + 11 &&
		       sizeof(struct teeabi_snp_tcb_fields) == 5 && sizeof(bool) == 1 &&
		       offsetof(struct teeabi_snp_tcb_fields, bootloader) == 1 &&
		       offsetof(struct teeabi_snp_tcb_fields, tee) == 2 && offsetof(struct teeabi_snp_tcb_fields, snp) == 3 &&
		       offsetof(struct teeabi_snp_tcb_fields, microcode) == 4 &&
		       sizeof(struct teeabi_snp_tcb) >= TCB_TAIL + 16,
	       "struct teeabi_snp_tcb: the layout tcb_decode stores");
static inline __attribute__((always_inline)) void tcb_decode(uint64_t raw, bool turin, struct teeabi_snp_tcb *out)
{
	memset(out, 0, sizeof(*out));
	out->raw = raw;
	/* Milan/Genoa: BL, TEE, rsvd x4, SNP, UCODE -> fmc 0, BL, TEE, SNP, UCODE */
	uint64_t legacy = (raw & 0xFFFF) << 8 | (raw >> 48) << 24;
	/* Turin+: FMC, BL, TEE, SNP, rsvd x3, UCODE -> FMC, BL, TEE, SNP, UCODE */
	uint64_t turin5 = (raw & 0xFFFFFFFF) | (raw >> 56) << 32;
	uint64_t top = turin ? turin5 : legacy;
	uint64_t lo = (uint64_t)turin | top << 8 | legacy << 48;
	uint64_t hi = legacy >> 16 | turin5 << 24;
	memcpy((uint8_t *)out + TCB_TAIL, &lo, 8);
	memcpy((uint8_t *)out + TCB_TAIL + 8, &hi, 8);
}

void teeabi_snp_tcb_decode(uint64_t raw, bool turin, struct teeabi_snp_tcb *out)
{
	tcb_decode(raw, turin, out);
}

/* virtee Generation::identify_cpu (formats.md §4.2). */
static enum teeabi_snp_gen identify(uint8_t fam, uint8_t mod)
{
	if (fam == 0x19) {
		if (mod <= 0x0F)
			return TEEABI_SNP_GEN_MILAN;
		if ((mod >= 0x10 && mod <= 0x1F) || (mod >= 0xA0 && mod <= 0xAF))
			return TEEABI_SNP_GEN_GENOA;
	} else if (fam == 0x1A) {
		if (mod <= 0x11)
			return TEEABI_SNP_GEN_TURIN;
		if ((mod >= 0x50 && mod <= 0x57) || (mod >= 0x90 && mod <= 0x9F) || (mod >= 0xA0 && mod <= 0xAF) ||
		    (mod >= 0xC0 && mod <= 0xC7))
			return TEEABI_SNP_GEN_VENICE;
	}
	return TEEABI_SNP_GEN_UNKNOWN;
}

teeabi_err teeabi_snp_report_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_snp_report *out)
{
	if (!buf || !out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (len < SNP_REPORT_LEN)
		return TEEABI_E_SNP_REPORT_SIZE;
	if (len > SNP_REPORT_LEN && !(flags & TEEABI_SNP_ALLOW_TRAILING))
		return TEEABI_E_SNP_TRAILING;
	out->trailing_len = len - SNP_REPORT_LEN;

	out->version = teeabi_le32(buf + SNP_OFF_VERSION);
	if (out->version < 2 || out->version > 5)
		return TEEABI_E_SNP_VERSION;
	out->sig_algo = teeabi_le32(buf + SNP_OFF_SIG_ALGO);
	if (out->sig_algo != 1)
		return TEEABI_E_SNP_SIG_ALGO;

	uint32_t w = 0;
	out->guest_svn = teeabi_le32(buf + SNP_OFF_GUEST_SVN);
	out->policy = teeabi_le64(buf + SNP_OFF_POLICY);
	uint64_t p = out->policy;
	out->policy_bits.abi_minor = (uint8_t)(p & 0xFF);
	out->policy_bits.abi_major = (uint8_t)((p >> 8) & 0xFF);
	out->policy_bits.smt = (p >> 16) & 1;
	out->policy_bits.migrate_ma = (p >> 18) & 1;
	out->policy_bits.debug = (p >> 19) & 1;
	out->policy_bits.single_socket = (p >> 20) & 1;
	out->policy_bits.cxl_allow = (p >> 21) & 1;
	out->policy_bits.mem_aes_256_xts = (p >> 22) & 1;
	out->policy_bits.rapl_dis = (p >> 23) & 1;
	out->policy_bits.ciphertext_hiding = (p >> 24) & 1;
	out->policy_bits.page_swap_disable = (p >> 25) & 1;
	if (!((p >> 17) & 1))
		w |= TEEABI_W_SNP_POLICY_RSVD1;
	if (p >> 26)
		w |= TEEABI_W_SNP_POLICY_UNKNOWN;

	out->family_id = buf + SNP_OFF_FAMILY_ID;
	out->image_id = buf + SNP_OFF_IMAGE_ID;
	out->vmpl = teeabi_le32(buf + SNP_OFF_VMPL);

	out->platform_info = teeabi_le64(buf + SNP_OFF_PLATFORM_INFO);
	if ((out->platform_info >> 8) || (out->platform_info & (1u << 6)))
		w |= TEEABI_W_SNP_PLATINFO_UNKNOWN;

	out->signer_info = teeabi_le32(buf + SNP_OFF_SIGNER_INFO);
	out->signer.author_key_en = out->signer_info & 1;
	out->signer.mask_chip_key = (out->signer_info >> 1) & 1;
	out->signer.signing_key = (uint8_t)((out->signer_info >> 2) & 7);
	if ((out->signer_info >> 5) || !teeabi_all_zero(buf + 0x04C, 4))
		w |= TEEABI_W_SNP_MBZ_SIGNER;
	if (out->signer.signing_key >= 2 && out->signer.signing_key <= 6)
		w |= TEEABI_W_SNP_SIGNING_KEY_RSVD;

	out->report_data = buf + SNP_OFF_REPORT_DATA;
	out->measurement = buf + SNP_OFF_MEASUREMENT;
	out->host_data = buf + SNP_OFF_HOST_DATA;
	out->id_key_digest = buf + SNP_OFF_ID_KEY_DIGEST;
	out->author_key_digest = buf + SNP_OFF_AUTHOR_KEY_DIGEST;
	out->report_id = buf + SNP_OFF_REPORT_ID;
	out->report_id_ma = buf + SNP_OFF_REPORT_ID_MA;
	out->chip_id = buf + SNP_OFF_CHIP_ID;

	if (out->version >= 3) {
		out->cpuid_fam = buf[SNP_OFF_CPUID_FAM];
		out->cpuid_mod = buf[SNP_OFF_CPUID_FAM + 1];
		out->cpuid_step = buf[SNP_OFF_CPUID_FAM + 2];
		if (!teeabi_all_zero(buf + 0x18B, 0x1A0 - 0x18B))
			w |= TEEABI_W_SNP_MBZ_CPUID;
	} else if (!teeabi_all_zero(buf + 0x188, 0x1A0 - 0x188)) {
		w |= TEEABI_W_SNP_MBZ_CPUID;
	}

	/* TCB layout: CPUID family for v3+ (0x1A and later -> Turin layout); v2 (or a v3+
	 * report with a zero family) uses virtee's heuristic: chip_id bytes 8..63 zero and the
	 * chip id not all-zero. */
	bool turin;
	if (out->version >= 3 && out->cpuid_fam != 0) {
		out->gen = identify(out->cpuid_fam, out->cpuid_mod);
		turin = out->cpuid_fam >= 0x1A;
	} else {
		out->gen = TEEABI_SNP_GEN_UNKNOWN;
		turin = teeabi_all_zero(out->chip_id + 8, 56) && !teeabi_all_zero(out->chip_id, 8);
	}
	tcb_decode(teeabi_le64(buf + SNP_OFF_CURRENT_TCB), turin, &out->current_tcb);
	tcb_decode(teeabi_le64(buf + SNP_OFF_REPORTED_TCB), turin, &out->reported_tcb);
	tcb_decode(teeabi_le64(buf + SNP_OFF_COMMITTED_TCB), turin, &out->committed_tcb);
	tcb_decode(teeabi_le64(buf + SNP_OFF_LAUNCH_TCB), turin, &out->launch_tcb);

	out->current_build = buf[SNP_OFF_CURRENT_BUILD];
	out->current_minor = buf[SNP_OFF_CURRENT_BUILD + 1];
	out->current_major = buf[SNP_OFF_CURRENT_BUILD + 2];
	out->committed_build = buf[SNP_OFF_COMMITTED_BUILD];
	out->committed_minor = buf[SNP_OFF_COMMITTED_BUILD + 1];
	out->committed_major = buf[SNP_OFF_COMMITTED_BUILD + 2];
	if (buf[0x1EB] || buf[0x1EF])
		w |= TEEABI_W_SNP_MBZ_FW;

	if (out->version >= 5) {
		out->launch_mit_vector = teeabi_le64(buf + SNP_OFF_LAUNCH_MIT);
		out->current_mit_vector = teeabi_le64(buf + SNP_OFF_CURRENT_MIT);
	} else if (!teeabi_all_zero(buf + 0x1F8, 0x208 - 0x1F8)) {
		w |= TEEABI_W_SNP_MBZ_MIT;
	}
	if (!teeabi_all_zero(buf + 0x208, SNP_SIGNED_LEN - 0x208))
		w |= TEEABI_W_SNP_MBZ_TAIL;

	out->sig_r = buf + SNP_OFF_SIGNATURE;
	out->sig_s = buf + SNP_OFF_SIGNATURE + 72;
	if (!teeabi_all_zero(out->sig_r + 48, 24) || !teeabi_all_zero(out->sig_s + 48, 24) ||
	    !teeabi_all_zero(buf + 0x330, SNP_REPORT_LEN - 0x330))
		w |= TEEABI_W_SNP_MBZ_SIG;

	out->warnings = w;
	if ((flags & TEEABI_SNP_STRICT_MBZ) && (w & TEEABI_W_SNP_MBZ_MASK))
		return TEEABI_E_SNP_MBZ;
	return TEEABI_OK;
}
