/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_snp_report.c - SEV-SNP ATTESTATION_REPORT parser (lib/snp_report.c).
 *
 * Input: the raw report bytes (1184, or more for the trailing-bytes mode). Each input is
 * parsed four ways: lenient, STRICT_MBZ, ALLOW_TRAILING, STRICT_MBZ | ALLOW_TRAILING.
 *
 * Properties (docs/formats.md §4, offsets and ranges written out here):
 *   - verdict: short -> E_SNP_REPORT_SIZE; longer without ALLOW_TRAILING -> E_SNP_TRAILING;
 *     version not 2..5 -> E_SNP_VERSION; algo != 1 -> E_SNP_SIG_ALGO; strict and an MBZ
 *     warning -> E_SNP_MBZ; else OK. Strict and lenient agree on everything else.
 *   - on success: every field is the slice/integer at its offset, the policy/signer bits
 *     decode as documented, CPUID only for v3+, MIT vectors only for v5, the TCB layout
 *     (Turin or legacy) chosen from CPUID family (v3+, non-zero) or the chip-id heuristic,
 *     both TCB decodings follow §4.2, and the warnings are exactly what the bytes call for.
 *   - every warning bit that is set has a name.
 *   - when the report carries trailing bytes that start like a certificate (0x30 or '-'),
 *     teeabi_snp_report_verify is run with them as the certificate: it returns a
 *     documented code and never crashes.
 */
#include "fuzz.h"
#include "teeabi/err.h"
#include "teeabi/snp.h"

#define LEN 0x4A0

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static uint32_t expected_warnings(const uint8_t *d, uint32_t version)
{
	uint32_t w = 0;
	uint64_t pol = rd64(d + 0x08);
	if (!(pol & (1ull << 17)))
		w |= TEEABI_W_SNP_POLICY_RSVD1;
	if (pol >> 26)
		w |= TEEABI_W_SNP_POLICY_UNKNOWN;
	uint64_t pi = rd64(d + 0x40);
	if ((pi >> 8) || (pi & 0x40))
		w |= TEEABI_W_SNP_PLATINFO_UNKNOWN;
	uint32_t si = rd32(d + 0x48);
	if ((si >> 5) || rd32(d + 0x4C))
		w |= TEEABI_W_SNP_MBZ_SIGNER;
	unsigned key = (si >> 2) & 7;
	if (key >= 2 && key <= 6)
		w |= TEEABI_W_SNP_SIGNING_KEY_RSVD;
	if (version >= 3 ? !zero(d + 0x18B, 21) : !zero(d + 0x188, 24))
		w |= TEEABI_W_SNP_MBZ_CPUID;
	if (d[0x1EB] || d[0x1EF])
		w |= TEEABI_W_SNP_MBZ_FW;
	if (version < 5 && !zero(d + 0x1F8, 16))
		w |= TEEABI_W_SNP_MBZ_MIT;
	if (!zero(d + 0x208, 0x2A0 - 0x208))
		w |= TEEABI_W_SNP_MBZ_TAIL;
	if (!zero(d + 0x2A0 + 48, 24) || !zero(d + 0x2E8 + 48, 24) || !zero(d + 0x330, 0x4A0 - 0x330))
		w |= TEEABI_W_SNP_MBZ_SIG;
	return w;
}

static enum teeabi_snp_gen gen_of(uint8_t fam, uint8_t mod)
{
	if (fam == 0x19 && mod <= 0x0F)
		return TEEABI_SNP_GEN_MILAN;
	if (fam == 0x19 && ((mod >= 0x10 && mod <= 0x1F) || (mod >= 0xA0 && mod <= 0xAF)))
		return TEEABI_SNP_GEN_GENOA;
	if (fam == 0x1A && mod <= 0x11)
		return TEEABI_SNP_GEN_TURIN;
	if (fam == 0x1A && ((mod >= 0x50 && mod <= 0x57) || (mod >= 0x90 && mod <= 0x9F) ||
			    (mod >= 0xA0 && mod <= 0xAF) || (mod >= 0xC0 && mod <= 0xC7)))
		return TEEABI_SNP_GEN_VENICE;
	return TEEABI_SNP_GEN_UNKNOWN;
}

static void check_tcb(const struct teeabi_snp_tcb *t, const uint8_t *b, int turin, const char *what)
{
	FZ_CHECK(t->raw == rd64(b) && t->turin == turin, "%s raw/turin", what);
	/* legacy (Milan/Genoa): BL, TEE, rsvd x4, SNP, UCODE; Turin: FMC, BL, TEE, SNP, rsvd x3, UCODE */
	FZ_CHECK(t->as_legacy.fmc == 0 && t->as_legacy.bootloader == b[0] && t->as_legacy.tee == b[1] &&
			 t->as_legacy.snp == b[6] && t->as_legacy.microcode == b[7],
		 "%s legacy decoding", what);
	FZ_CHECK(t->as_turin.fmc == b[0] && t->as_turin.bootloader == b[1] && t->as_turin.tee == b[2] &&
			 t->as_turin.snp == b[3] && t->as_turin.microcode == b[7],
		 "%s turin decoding", what);
	const struct teeabi_snp_tcb_fields *f = turin ? &t->as_turin : &t->as_legacy;
	FZ_CHECK(t->fmc == f->fmc && t->bootloader == f->bootloader && t->tee == f->tee && t->snp == f->snp &&
			 t->microcode == f->microcode,
		 "%s top-level fields are not the %s layout", what, turin ? "turin" : "legacy");
}

static void check_ok(const uint8_t *d, size_t size, const struct teeabi_snp_report *r)
{
	uint32_t v = rd32(d);
	FZ_CHECK(r->version == v && r->sig_algo == 1, "version/sig_algo");
	FZ_CHECK(r->trailing_len == size - LEN, "trailing_len %zu", r->trailing_len);
	FZ_CHECK(r->guest_svn == rd32(d + 4), "guest_svn");
	uint64_t p = rd64(d + 8);
	FZ_CHECK(r->policy == p, "policy");
	FZ_CHECK(r->policy_bits.abi_minor == (p & 0xFF) && r->policy_bits.abi_major == ((p >> 8) & 0xFF) &&
			 r->policy_bits.smt == ((p >> 16) & 1) && r->policy_bits.migrate_ma == ((p >> 18) & 1) &&
			 r->policy_bits.debug == ((p >> 19) & 1) && r->policy_bits.single_socket == ((p >> 20) & 1) &&
			 r->policy_bits.cxl_allow == ((p >> 21) & 1) &&
			 r->policy_bits.mem_aes_256_xts == ((p >> 22) & 1) && r->policy_bits.rapl_dis == ((p >> 23) & 1) &&
			 r->policy_bits.ciphertext_hiding == ((p >> 24) & 1) &&
			 r->policy_bits.page_swap_disable == ((p >> 25) & 1),
		 "policy bits of 0x%llx", (unsigned long long)p);
	FZ_CHECK(r->family_id == d + 0x10 && r->image_id == d + 0x20, "family/image id");
	FZ_CHECK(r->vmpl == rd32(d + 0x30), "vmpl");
	FZ_CHECK(r->platform_info == rd64(d + 0x40), "platform_info");
	uint32_t si = rd32(d + 0x48);
	FZ_CHECK(r->signer_info == si && r->signer.author_key_en == (si & 1) && r->signer.mask_chip_key == ((si >> 1) & 1) &&
			 r->signer.signing_key == ((si >> 2) & 7),
		 "signer info 0x%x", si);
	FZ_CHECK(r->report_data == d + 0x50 && r->measurement == d + 0x90 && r->host_data == d + 0xC0 &&
			 r->id_key_digest == d + 0xE0 && r->author_key_digest == d + 0x110 && r->report_id == d + 0x140 &&
			 r->report_id_ma == d + 0x160 && r->chip_id == d + 0x1A0,
		 "byte-string fields");
	if (v >= 3)
		FZ_CHECK(r->cpuid_fam == d[0x188] && r->cpuid_mod == d[0x189] && r->cpuid_step == d[0x18A], "cpuid");
	else
		FZ_CHECK(r->cpuid_fam == 0 && r->cpuid_mod == 0 && r->cpuid_step == 0, "v2 has no cpuid");
	int turin;
	enum teeabi_snp_gen g;
	if (v >= 3 && d[0x188]) {
		turin = d[0x188] >= 0x1A;
		g = gen_of(d[0x188], d[0x189]);
	} else {
		turin = zero(d + 0x1A8, 56) && !zero(d + 0x1A0, 8);
		g = TEEABI_SNP_GEN_UNKNOWN;
	}
	FZ_CHECK(r->gen == g, "generation %d, expected %d", r->gen, g);
	check_tcb(&r->current_tcb, d + 0x38, turin, "current_tcb");
	check_tcb(&r->reported_tcb, d + 0x180, turin, "reported_tcb");
	check_tcb(&r->committed_tcb, d + 0x1E0, turin, "committed_tcb");
	check_tcb(&r->launch_tcb, d + 0x1F0, turin, "launch_tcb");
	FZ_CHECK(r->current_build == d[0x1E8] && r->current_minor == d[0x1E9] && r->current_major == d[0x1EA] &&
			 r->committed_build == d[0x1EC] && r->committed_minor == d[0x1ED] &&
			 r->committed_major == d[0x1EE],
		 "firmware versions");
	if (v >= 5)
		FZ_CHECK(r->launch_mit_vector == rd64(d + 0x1F8) && r->current_mit_vector == rd64(d + 0x200), "mit vectors");
	else
		FZ_CHECK(r->launch_mit_vector == 0 && r->current_mit_vector == 0, "v%u has no mit vectors", v);
	FZ_CHECK(r->sig_r == d + 0x2A0 && r->sig_s == d + 0x2E8, "signature slices");
	uint32_t w = expected_warnings(d, v);
	FZ_CHECK(r->warnings == w, "warnings 0x%x, expected 0x%x", r->warnings, w);
	for (unsigned b = 0; b < 32; b++)
		if (r->warnings & (1u << b))
			FZ_CHECK(teeabi_snp_warning_name(1u << b) != NULL, "warning bit %u has no name", b);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	static const unsigned modes[] = { 0, TEEABI_SNP_STRICT_MBZ, TEEABI_SNP_ALLOW_TRAILING,
					  TEEABI_SNP_STRICT_MBZ | TEEABI_SNP_ALLOW_TRAILING };
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		unsigned f = modes[m];
		struct teeabi_snp_report r;
		teeabi_err e = teeabi_snp_report_parse(d, size, f, &r);
		teeabi_err want;
		if (size < LEN)
			want = TEEABI_E_SNP_REPORT_SIZE;
		else if (size > LEN && !(f & TEEABI_SNP_ALLOW_TRAILING))
			want = TEEABI_E_SNP_TRAILING;
		else if (rd32(d) < 2 || rd32(d) > 5)
			want = TEEABI_E_SNP_VERSION;
		else if (rd32(d + 0x34) != 1)
			want = TEEABI_E_SNP_SIG_ALGO;
		else if ((f & TEEABI_SNP_STRICT_MBZ) && (expected_warnings(d, rd32(d)) & TEEABI_W_SNP_MBZ_MASK))
			want = TEEABI_E_SNP_MBZ;
		else
			want = TEEABI_OK;
		FZ_CHECK(e == want, "flags 0x%x: parse returned %s, expected %s", f, teeabi_err_name(e),
			 teeabi_err_name(want));
		if (e == TEEABI_OK)
			check_ok(d, size, &r);
		if (e == TEEABI_E_SNP_MBZ)
			FZ_CHECK(r.warnings == expected_warnings(d, rd32(d)), "E_SNP_MBZ: warnings 0x%x", r.warnings);
	}

	/* Signature check with the trailing bytes as the "certificate": exercises certificate
	 * loading on hostile bytes. Never OK unless the bytes really are the signing cert. */
	if (size > LEN && (d[LEN] == 0x30 || d[LEN] == '-')) {
		teeabi_err e = teeabi_snp_report_verify(d, LEN, d + LEN, size - LEN);
		FZ_CHECK(e == TEEABI_OK || e == TEEABI_E_SIG_INVALID || e == TEEABI_E_KEY_INVALID ||
				 e == TEEABI_E_CERT_PARSE || e == TEEABI_E_CRYPTO,
			 "verify returned %s", teeabi_err_name(e));
	}
	return 0;
}
