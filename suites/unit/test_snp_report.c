/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_snp_report.c - SEV-SNP ATTESTATION_REPORT parser against every real vector in
 * vectors/snp-report/ (expected values copied from vectors/MANIFEST.md "Per-file detail",
 * not produced by the parser), the Turin/legacy TCB decodings, the generation choice,
 * truncation sweeps, version / signature-algorithm corruption and one test per
 * must-be-zero range (warning in lenient mode, E_SNP_MBZ in strict mode).
 * Offsets used to corrupt a report come from docs/formats.md §4.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "teeabi/snp.h"
#include "testutil.h"

#define RLEN 1184

struct svec {
	const char *path;
	uint32_t version, guest_svn;
	uint64_t policy;
	uint32_t vmpl, sig_algo;
	uint64_t cur_tcb, rep_tcb, com_tcb, launch_tcb, plat_info;
	uint32_t signer;
	uint8_t fam, mod, step;
	uint8_t fw[3], cfw[3]; /* major, minor, build */
	uint64_t launch_mit, current_mit;
	const char *measurement, *report_data, *chip_id, *host_data, *report_id;
};

/* Generated once from vectors/MANIFEST.md field lists (hand-checked against the table). */
static const struct svec vecs[] = {
	{ "vectors/snp-report/go-sev-guest__attestation.bin", 2, 0, 0xb0000ull, 0, 1,
	  0x4405000000000002ull, 0x4405000000000002ull, 0x4405000000000002ull, 0x4405000000000002ull, 0x1ull, 0x0,
	  0x00, 0x00, 0x00, { 1, 49, 3 }, { 1, 49, 3 }, 0x0ull, 0x0ull,
	  "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01",
	  "01020304050000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "8edc638e1857c555d21f6b11bda3c8b1b5a09dba4852b4c8ee7aa2f16f22cc0a" },
	{ "vectors/snp-report/trustee__snp_test-report.bin", 2, 4, 0x3001full, 0, 1,
	  0xce08000000000003ull, 0x7308000000000003ull, 0x7308000000000003ull, 0x7308000000000003ull, 0x1ull, 0x0,
	  0x00, 0x00, 0x00, { 1, 52, 4 }, { 1, 52, 4 }, 0x0ull, 0x0ull,
	  "a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c",
	  "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e20000000000000000000000000000000000000000000000000000000000000000",
	  "c38427a30d4c7af9d96f7a15b97269825a64cb76a2352ffd5d18115d89ad473f8e8c0bcd9a5d9286612bad4aadfb4426205a3b9e4fea82301135a170e477524e",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "385eba81216de4776548fcb86f8ead03c1ebc92b6207f3210d9ccebb89c99005" },
	{ "vectors/snp-report/trustee__snp_test-vlek-report.bin", 3, 0, 0x30000ull, 1, 1,
	  0xdc18000000000004ull, 0xd918000000000004ull, 0xdb18000000000004ull, 0xdb18000000000004ull, 0x27ull, 0x4,
	  0x19, 0x01, 0x01, { 1, 55, 29 }, { 1, 55, 29 }, 0x0ull, 0x0ull,
	  "8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0",
	  "819770b7e6ea6df8dd8fd4dd146b073c0bf4f3ce5b0977ecac486e3a05ed1bd54e2a7ac1f5d1ca02e7d7d5ef9f73b8574fd9359e3a480d741a4478e8a7bc27ca",
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "62e04fba700afd93b3a0cc0649b633ee36587fa8a8c2eb5d9b7cd7bc5f4bb057" },
	{ "vectors/snp-report/kinvolk__hcl-report-snp.report.bin", 2, 2, 0x3001full, 0, 1,
	  0xce08000000000003ull, 0x7308000000000003ull, 0x7308000000000003ull, 0x7308000000000003ull, 0x1ull, 0x0,
	  0x00, 0x00, 0x00, { 1, 52, 4 }, { 1, 52, 4 }, 0x0ull, 0x0ull,
	  "5a71e4ba7e0b83e44c8e853130a65557db0a7782cdb2d906c54b0bf5878202805ab159bfe0cf7d5749aa6f62b7094508",
	  "1d0a466a9eed975e88f889f7aed4abc1c97e87c4f43e5e3478c9a4a5853cbd7d0000000000000000000000000000000000000000000000000000000000000000",
	  "3a5d5b1d059d193e02d8533f1b005833276a4260ec05858590a4f187924e3db9a2ec7499ce0ba607a50873b19a3ce093e55baadede2d56144065404f5a1a775a",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "c6c9131086d237b2b9cfef5e886d1594b10c6d886cbebe25294da0a3577e7a61" },
	{ "vectors/snp-report/teekit__sev-gcp.bin", 5, 0, 0x30000ull, 0, 1,
	  0xde1b000000000004ull, 0xde1b000000000004ull, 0xde1b000000000004ull, 0xde1b000000000004ull, 0x25ull, 0x0,
	  0x19, 0x01, 0x01, { 1, 55, 35 }, { 1, 55, 35 }, 0xbull, 0xbull,
	  "b747d55452e0b9e9079770a49e397c5e6d9573581e246da7baac4f28b5cdc5b1b6d19251b8ee600fd16a3708f58406f3",
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "980cf7b61876cb37fd517cd44ce11c72d43c5408e66ab39138370ec59bc195e063254cb501d87d82f0b8b8dc774bcfe28019447711598f007390e4accc405361",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "9a0603343e711e1ec9b6b046023da5378e7c4cac6182e35d4f3ebeb46aef6c80" },
	{ "vectors/snp-report/teekit__sev-gcp-x25519-bound.bin", 5, 0, 0x30000ull, 1, 1,
	  0xde1b000000000004ull, 0xde1b000000000004ull, 0xde1b000000000004ull, 0xde1b000000000004ull, 0x25ull, 0x0,
	  0x19, 0x01, 0x01, { 1, 55, 35 }, { 1, 55, 35 }, 0xbull, 0xbull,
	  "b747d55452e0b9e9079770a49e397c5e6d9573581e246da7baac4f28b5cdc5b1b6d19251b8ee600fd16a3708f58406f3",
	  "3a6753fd4b194de53824d7fd5b45e251cc19a32a71dd5ba3e131fe19f2adbe86d658c147479571226e0f294eb7e44abb6c1673f39a5378ac25cd5d6268b91f1a",
	  "980cf7b61876cb37fd517cd44ce11c72d43c5408e66ab39138370ec59bc195e063254cb501d87d82f0b8b8dc774bcfe28019447711598f007390e4accc405361",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "9a0603343e711e1ec9b6b046023da5378e7c4cac6182e35d4f3ebeb46aef6c80" },
	{ "vectors/snp-report/ms-tav__genoa_attestation_report.bin", 3, 2, 0x3001full, 0, 1,
	  0x541700000000000aull, 0x541700000000000aull, 0x541700000000000aull, 0x541700000000000aull, 0x27ull, 0x0,
	  0x19, 0x11, 0x01, { 1, 55, 40 }, { 1, 55, 40 }, 0x0ull, 0x0ull,
	  "5feee30d6d7e1a29f403d70a4198237ddfb13051a2d6976439487c609388ed7f98189887920ab2fa0096903a0c23fca1",
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "b1e24a27bbc3a4d58090d8b89851dce3b8031544be249b9ac17132bb222b027622347ee4d0fe4f689efdfc47a68cefc686cbb448d01436506ee1e28010cab7c0",
	  "4f4448c67f3c8dfc8de8a5e37125d807dadcc41f06cf23f615dbd52eec777d10",
	  "c840e4fc01bec5121388abbf2e850c5b1d482adab7a4b06c4d93028c56599429" },
	{ "vectors/snp-report/ms-tav__turin_attestation_report.bin", 5, 2, 0x3001full, 0, 1,
	  0x5100000004010101ull, 0x5100000004010101ull, 0x5100000004010101ull, 0x5100000004010101ull, 0x65ull, 0x0,
	  0x1a, 0x02, 0x01, { 1, 55, 65 }, { 1, 55, 65 }, 0x3full, 0x3full,
	  "6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa142fccf1d1b0baca496841bdf243619d4",
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "59790fb1c39f35c10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "b3452a0ed30f1010bd32740dd1610bc63296ceb0f882f2cac3a3152d651fe7e4",
	  "d2f0b13e226f7c8aee44f2fd22cac739438124864fec3e3a2249901a2f4bc9a6" },
	{ "vectors/snp-report/dstack__sev_snp_attestation.report.bin", 3, 0, 0x30000ull, 0, 1,
	  0xd518000000000004ull, 0xd517000000000004ull, 0xd518000000000004ull, 0xd518000000000004ull, 0x25ull, 0x0,
	  0x19, 0x01, 0x01, { 1, 55, 29 }, { 1, 55, 29 }, 0x0ull, 0x0ull,
	  "7f51e17f72a04d5422cb2c00998166536019a217376f3aa45a630e59c805a599847ff250dbffcd07e1ba639771d6f05d",
	  "6174746573742d746573742d666978747572652d3230323600000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "38d174589d2dff97a6d40cb9f9d90b9507c027491219083cef3ce73ed18f7289142d941ad61eabecd27d25f268c1095d665f6001358e98a4769c82734a6bb877",
	  "783f0057820acb99249af56cc3b07b4e8d80f65183167cba9cf437bb680f742f",
	  "ab942f03af5e6389b3c0fb8401af5d2fa4010f87e86d424989a57303ceabab12" },
	{ "vectors/snp-report/trustee__az-snp-vtpm_evidence-v0.report.bin", 3, 10, 0x3001full, 0, 1,
	  0xdb18000000000004ull, 0xdb18000000000004ull, 0xdb18000000000004ull, 0xdb18000000000004ull, 0x25ull, 0x0,
	  0x19, 0x01, 0x01, { 1, 55, 29 }, { 1, 55, 29 }, 0x0ull, 0x0ull,
	  "6a063be9dd79f6371c842e480f8dc3b5c725961344e57130e88c5adf49e8f7f6c79b75a5eb77fc769959f4aeb2f9401e",
	  "af2910341dd8108360e485f1b72494255190b9cdd5ccb44b73b883037cf99f210000000000000000000000000000000000000000000000000000000000000000",
	  "66a5a7b4403a3006ca734aa36a76dd3061d56f398e1e73b0be683ecd2eede9e70811c677abf8d9c9251b52baafbdc97b8121ec0c75661ffba636073b09fa563a",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "5ab50660c013e1c2ea33b759d64e1ac2e9b68fc9b788640eca9df081cbb866c9" },
};
#define NVEC (sizeof(vecs) / sizeof(vecs[0]))

static uint8_t *load(const char *path)
{
	size_t n;
	uint8_t *b = tu_read(path, &n);
	assert_int_equal(n, RLEN);
	return b;
}

/* Expected generation / TCB layout per vector, from the CPUID bytes in MANIFEST.md and the
 * identification table of formats.md §4.2 (v2 vectors: no CPUID, full chip id -> legacy). */
static void expect_gen(const char *path, enum teeabi_snp_gen *gen, bool *turin)
{
	*turin = false;
	*gen = TEEABI_SNP_GEN_MILAN;
	if (strstr(path, "genoa"))
		*gen = TEEABI_SNP_GEN_GENOA;
	else if (strstr(path, "turin")) {
		*gen = TEEABI_SNP_GEN_TURIN;
		*turin = true;
	} else if (strstr(path, "go-sev-guest") || strstr(path, "snp_test-report") || strstr(path, "kinvolk"))
		*gen = TEEABI_SNP_GEN_UNKNOWN; /* v2 */
}

static void test_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		const struct svec *v = &vecs[i];
		uint8_t *b = load(v->path);
		struct teeabi_snp_report r;
		print_message("  %s\n", v->path);
		assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
		assert_int_equal(r.version, v->version);
		assert_int_equal(r.guest_svn, v->guest_svn);
		assert_int_equal(r.policy, v->policy);
		assert_int_equal(r.vmpl, v->vmpl);
		assert_int_equal(r.sig_algo, v->sig_algo);
		assert_int_equal(r.current_tcb.raw, v->cur_tcb);
		assert_int_equal(r.reported_tcb.raw, v->rep_tcb);
		assert_int_equal(r.committed_tcb.raw, v->com_tcb);
		assert_int_equal(r.launch_tcb.raw, v->launch_tcb);
		assert_int_equal(r.platform_info, v->plat_info);
		assert_int_equal(r.signer_info, v->signer);
		assert_int_equal(r.cpuid_fam, v->fam);
		assert_int_equal(r.cpuid_mod, v->mod);
		assert_int_equal(r.cpuid_step, v->step);
		assert_int_equal(r.current_major, v->fw[0]);
		assert_int_equal(r.current_minor, v->fw[1]);
		assert_int_equal(r.current_build, v->fw[2]);
		assert_int_equal(r.committed_major, v->cfw[0]);
		assert_int_equal(r.committed_minor, v->cfw[1]);
		assert_int_equal(r.committed_build, v->cfw[2]);
		assert_int_equal(r.launch_mit_vector, v->launch_mit);
		assert_int_equal(r.current_mit_vector, v->current_mit);
		tu_assert_hex(r.measurement, 48, v->measurement, "measurement");
		tu_assert_hex(r.report_data, 64, v->report_data, "report_data");
		tu_assert_hex(r.chip_id, 64, v->chip_id, "chip_id");
		tu_assert_hex(r.host_data, 32, v->host_data, "host_data");
		tu_assert_hex(r.report_id, 32, v->report_id, "report_id");
		/* MANIFEST: report_id_ma all 0xFF in every vector */
		for (int k = 0; k < 32; k++)
			assert_int_equal(r.report_id_ma[k], 0xff);
		assert_int_equal(r.trailing_len, 0);
		/* signer decode from the raw value (formats.md §4.1) */
		assert_int_equal(r.signer.signing_key, (v->signer >> 2) & 7);
		assert_int_equal(r.signer.author_key_en, v->signer & 1);
		assert_int_equal(r.signer.mask_chip_key, (v->signer >> 1) & 1);
		/* policy bits */
		assert_int_equal(r.policy_bits.debug, (v->policy >> 19) & 1);
		assert_int_equal(r.policy_bits.smt, (v->policy >> 16) & 1);
		assert_int_equal(r.policy_bits.abi_minor, v->policy & 0xff);
		enum teeabi_snp_gen gen;
		bool turin;
		expect_gen(v->path, &gen, &turin);
		assert_int_equal(r.gen, gen);
		assert_int_equal(r.current_tcb.turin, turin);
		assert_int_equal(r.reported_tcb.turin, turin);
		/* MANIFEST: no SNP vector has non-zero reserved/MBZ bytes; the Turin report has
		 * PLATFORM_INFO 0x65 whose bit 6 is reserved -> only that warning. */
		if (turin)
			assert_int_equal(r.warnings, TEEABI_W_SNP_PLATINFO_UNKNOWN);
		else
			assert_int_equal(r.warnings, 0);
		/* and strict MBZ mode accepts every real vector */
		assert_int_equal(teeabi_snp_report_parse(b, RLEN, TEEABI_SNP_STRICT_MBZ, &r), TEEABI_OK);
		free(b);
	}
}

static void test_specific_fields(void **state)
{
	(void)state;
	struct teeabi_snp_report r;
	/* go-sev-guest attestation.bin: DEBUG policy; trustee test-report: family/image id and
	 * id_key_digest (MANIFEST.md) */
	uint8_t *b = load("vectors/snp-report/go-sev-guest__attestation.bin");
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_true(r.policy_bits.debug);
	assert_true(r.policy_bits.migrate_ma == false);
	free(b);
	b = load("vectors/snp-report/trustee__snp_test-report.bin");
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	tu_assert_hex(r.family_id, 16, "01000000000000000000000000000000", "family_id");
	tu_assert_hex(r.image_id, 16, "02000000000000000000000000000000", "image_id");
	tu_assert_hex(r.id_key_digest, 48,
		      "0356215882a825279a85b300b0b742931d113bf7e32dde2e50ffde7ec743ca491ecdd7f336dc28a6e0b2bb57af7a44a3",
		      "id_key_digest");
	assert_int_equal(r.policy_bits.abi_minor, 0x1f);
	assert_false(r.policy_bits.debug);
	free(b);
	/* VLEK report: signer_info 0x4 -> SIGNING_KEY 1 (VLEK) */
	b = load("vectors/snp-report/trustee__snp_test-vlek-report.bin");
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_int_equal(r.signer.signing_key, 1);
	free(b);
}

/* formats.md §4.2: Turin current_tcb 0x5100000004010101 = FMC 1, BL 1, TEE 1, SNP 4, UCODE 0x51 */
static void test_turin_tcb(void **state)
{
	(void)state;
	struct teeabi_snp_report r;
	uint8_t *b = load("vectors/snp-report/ms-tav__turin_attestation_report.bin");
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_true(r.current_tcb.turin);
	assert_int_equal(r.current_tcb.fmc, 1);
	assert_int_equal(r.current_tcb.bootloader, 1);
	assert_int_equal(r.current_tcb.tee, 1);
	assert_int_equal(r.current_tcb.snp, 4);
	assert_int_equal(r.current_tcb.microcode, 0x51);
	assert_int_equal(r.reported_tcb.snp, 4);
	/* the legacy view of the same bytes: BL=b0 1, TEE=b1 1, SNP=b6 0, UCODE=b7 0x51 */
	assert_int_equal(r.current_tcb.as_legacy.bootloader, 1);
	assert_int_equal(r.current_tcb.as_legacy.tee, 1);
	assert_int_equal(r.current_tcb.as_legacy.snp, 0);
	assert_int_equal(r.current_tcb.as_legacy.microcode, 0x51);
	assert_int_equal(r.current_tcb.as_turin.snp, 4);
	free(b);
}

/* formats.md §7.3: go-sev-guest TCB 0x4405000000000002 = BL 2, SNP 5, UCODE 68 (legacy) */
static void test_legacy_tcb(void **state)
{
	(void)state;
	struct teeabi_snp_report r;
	uint8_t *b = load("vectors/snp-report/go-sev-guest__attestation.bin");
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_false(r.reported_tcb.turin);
	assert_int_equal(r.reported_tcb.bootloader, 2);
	assert_int_equal(r.reported_tcb.tee, 0);
	assert_int_equal(r.reported_tcb.snp, 5);
	assert_int_equal(r.reported_tcb.microcode, 68);
	assert_int_equal(r.reported_tcb.fmc, 0);
	/* Genoa 0x541700000000000a: BL 0x0a, SNP 0x17, UCODE 0x54 */
	free(b);
	b = load("vectors/snp-report/ms-tav__genoa_attestation_report.bin");
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_int_equal(r.current_tcb.bootloader, 0x0a);
	assert_int_equal(r.current_tcb.snp, 0x17);
	assert_int_equal(r.current_tcb.microcode, 0x54);
	free(b);
}

/* Generation from CPUID (v3+) and the v2 chip-id heuristic (formats.md §4.2). */
/* teeabi_snp_tcb_decode (the decode every report parse runs four times, stored as whole
 * words) against the two byte layouts of docs/formats.md §4.2 written out field by field,
 * the whole struct compared, for raw values with every byte position distinct and for
 * pseudo-random ones, in both layouts. */
static void test_tcb_decode_layouts(void **state)
{
	(void)state;
	uint64_t x = 0x0123456789ABCDEFull;
	for (int i = 0; i < 20000; i++) {
		uint64_t raw = i == 0 ? 0x0807060504030201ull : i == 1 ? ~0ull : i == 2 ? 0 : (x = x * 6364136223846793005ull + 1);
		uint8_t b[8];
		for (int k = 0; k < 8; k++)
			b[k] = (uint8_t)(raw >> (8 * k));
		for (int turin = 0; turin <= 1; turin++) {
			struct teeabi_snp_tcb want, got;
			memset(&want, 0, sizeof(want));
			want.raw = raw;
			want.turin = turin;
			want.as_legacy.fmc = 0;
			want.as_legacy.bootloader = b[0];
			want.as_legacy.tee = b[1];
			want.as_legacy.snp = b[6];
			want.as_legacy.microcode = b[7];
			want.as_turin.fmc = b[0];
			want.as_turin.bootloader = b[1];
			want.as_turin.tee = b[2];
			want.as_turin.snp = b[3];
			want.as_turin.microcode = b[7];
			want.fmc = turin ? b[0] : 0;
			want.bootloader = turin ? b[1] : b[0];
			want.tee = turin ? b[2] : b[1];
			want.snp = turin ? b[3] : b[6];
			want.microcode = b[7];
			memset(&got, 0xA5, sizeof(got)); /* every byte must be written */
			teeabi_snp_tcb_decode(raw, turin, &got);
			if (memcmp(&got, &want, sizeof(got)))
				fail_msg("raw %016llx turin %d: decode differs", (unsigned long long)raw, turin);
		}
	}
}

static void test_generation_choice(void **state)
{
	(void)state;
	struct teeabi_snp_report r;
	uint8_t *b = load("vectors/snp-report/ms-tav__genoa_attestation_report.bin");
	static const struct { uint8_t fam, mod; enum teeabi_snp_gen gen; bool turin; } cases[] = {
		{ 0x19, 0x00, TEEABI_SNP_GEN_MILAN, false },  { 0x19, 0x0f, TEEABI_SNP_GEN_MILAN, false },
		{ 0x19, 0x10, TEEABI_SNP_GEN_GENOA, false },  { 0x19, 0xa5, TEEABI_SNP_GEN_GENOA, false },
		{ 0x19, 0x30, TEEABI_SNP_GEN_UNKNOWN, false }, { 0x1a, 0x02, TEEABI_SNP_GEN_TURIN, true },
		{ 0x1a, 0x11, TEEABI_SNP_GEN_TURIN, true },   { 0x1a, 0x12, TEEABI_SNP_GEN_UNKNOWN, true },
		{ 0x1a, 0x50, TEEABI_SNP_GEN_VENICE, true },  { 0x1a, 0x9f, TEEABI_SNP_GEN_VENICE, true },
		{ 0x1a, 0xc7, TEEABI_SNP_GEN_VENICE, true },  { 0x1a, 0xc8, TEEABI_SNP_GEN_UNKNOWN, true },
		/* every edge of the identify_cpu ranges of §4.2 */
		{ 0x19, 0x1f, TEEABI_SNP_GEN_GENOA, false },  { 0x19, 0x20, TEEABI_SNP_GEN_UNKNOWN, false },
		{ 0x19, 0x9f, TEEABI_SNP_GEN_UNKNOWN, false }, { 0x19, 0xa0, TEEABI_SNP_GEN_GENOA, false },
		{ 0x19, 0xaf, TEEABI_SNP_GEN_GENOA, false },  { 0x19, 0xb0, TEEABI_SNP_GEN_UNKNOWN, false },
		{ 0x1a, 0x00, TEEABI_SNP_GEN_TURIN, true },   { 0x1a, 0x4f, TEEABI_SNP_GEN_UNKNOWN, true },
		{ 0x1a, 0x57, TEEABI_SNP_GEN_VENICE, true },  { 0x1a, 0x58, TEEABI_SNP_GEN_UNKNOWN, true },
		{ 0x1a, 0x8f, TEEABI_SNP_GEN_UNKNOWN, true }, { 0x1a, 0x90, TEEABI_SNP_GEN_VENICE, true },
		{ 0x1a, 0xa0, TEEABI_SNP_GEN_VENICE, true },  { 0x1a, 0xaf, TEEABI_SNP_GEN_VENICE, true },
		{ 0x1a, 0xbf, TEEABI_SNP_GEN_UNKNOWN, true }, { 0x1a, 0xc0, TEEABI_SNP_GEN_VENICE, true },
		/* families before 0x19 and after 0x1A: "Turin (and later)" layout from 0x1A on */
		{ 0x18, 0x01, TEEABI_SNP_GEN_UNKNOWN, false }, { 0x1b, 0x00, TEEABI_SNP_GEN_UNKNOWN, true },
		{ 0xff, 0x02, TEEABI_SNP_GEN_UNKNOWN, true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b[0x188] = cases[i].fam;
		b[0x189] = cases[i].mod;
		assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
		assert_int_equal(r.gen, cases[i].gen);
		assert_int_equal(r.current_tcb.turin, cases[i].turin);
	}
	free(b);

	/* v2: chip id with only the first 8 bytes non-zero -> Turin layout; masked -> legacy */
	b = load("vectors/snp-report/go-sev-guest__attestation.bin");
	memset(b + 0x1A0 + 8, 0, 56);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_true(r.current_tcb.turin);
	assert_int_equal(r.current_tcb.fmc, 0x02); /* byte 0 of 0x4405000000000002 */
	/* "bytes 8..63 zero": a non-zero byte anywhere in 8..63, the last one too, means legacy */
	static const size_t tail[] = { 8, 55, 56, 63 };
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		b[0x1A0 + tail[i]] = 0x01;
		assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
		if (r.current_tcb.turin)
			fail_msg("v2 chip_id byte %zu non-zero: Turin layout chosen", tail[i]);
		b[0x1A0 + tail[i]] = 0;
	}
	memset(b + 0x1A0, 0, 64);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_false(r.current_tcb.turin);
	free(b);
}

static void test_truncation(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		uint8_t *b = load(vecs[i].path);
		for (size_t n = 0; n < RLEN; n++) {
			uint8_t *c = malloc(n ? n : 1); /* exact size so ASan sees any over-read */
			assert_non_null(c);
			memcpy(c, b, n);
			struct teeabi_snp_report r;
			assert_int_equal(teeabi_snp_report_parse(c, n, 0, &r), TEEABI_E_SNP_REPORT_SIZE);
			free(c);
		}
		free(b);
	}
}

static void test_trailing(void **state)
{
	(void)state;
	size_t n;
	uint8_t *b0 = tu_read("vectors/snp-report/teekit__sev-gcp.bin", &n);
	uint8_t *b = calloc(1, RLEN + 100);
	assert_non_null(b);
	memcpy(b, b0, RLEN);
	struct teeabi_snp_report r;
	assert_int_equal(teeabi_snp_report_parse(b, RLEN + 1, 0, &r), TEEABI_E_SNP_TRAILING);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN + 100, 0, &r), TEEABI_E_SNP_TRAILING);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN + 100, TEEABI_SNP_ALLOW_TRAILING, &r), TEEABI_OK);
	assert_int_equal(r.trailing_len, 100);
	assert_int_equal(r.version, 5);
	assert_int_equal(teeabi_snp_report_parse(NULL, RLEN, 0, &r), TEEABI_E_NULL);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, NULL), TEEABI_E_NULL);
	free(b);
	free(b0);
}

static void test_version_sigalgo(void **state)
{
	(void)state;
	struct teeabi_snp_report r;
	uint8_t *b = load("vectors/snp-report/trustee__snp_test-vlek-report.bin");
	static const uint32_t bad[] = { 0, 1, 6, 7, 0x100, 0xffffffffu };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		teeabi_put_le32(b, bad[i]);
		assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_E_SNP_VERSION);
	}
	/* v4 is handled like v3 (CPUID present, no MIT vectors) */
	teeabi_put_le32(b, 4);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	assert_int_equal(r.version, 4);
	assert_int_equal(r.cpuid_fam, 0x19);
	assert_int_equal(r.launch_mit_vector, 0);
	teeabi_put_le32(b, 3);
	static const uint32_t badalg[] = { 0, 2, 0x101, 0xffffffffu };
	for (size_t i = 0; i < sizeof(badalg) / sizeof(badalg[0]); i++) {
		teeabi_put_le32(b + 0x34, badalg[i]);
		assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_E_SNP_SIG_ALGO);
	}
	free(b);
}

/* Set one byte of a vector, expect exactly `warn` in lenient mode, and E_SNP_MBZ (or OK when
 * the warning is not an MBZ one) in strict mode. */
static void expect_warn(const char *path, size_t off, uint8_t val, uint32_t warn, bool mbz)
{
	uint8_t *b = load(path);
	b[off] = val;
	struct teeabi_snp_report r;
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, 0, &r), TEEABI_OK);
	if (r.warnings != warn)
		fail_msg("%s: byte 0x%zx=0x%02x: warnings 0x%x, expected 0x%x", path, off, val, r.warnings, warn);
	assert_int_equal(teeabi_snp_report_parse(b, RLEN, TEEABI_SNP_STRICT_MBZ, &r),
			 mbz ? TEEABI_E_SNP_MBZ : TEEABI_OK);
	free(b);
}

#define V2 "vectors/snp-report/go-sev-guest__attestation.bin"
#define V3 "vectors/snp-report/ms-tav__genoa_attestation_report.bin"
#define V5 "vectors/snp-report/teekit__sev-gcp.bin"

static void test_mbz_signer(void **state)
{
	(void)state;
	expect_warn(V3, 0x048, 0x20, TEEABI_W_SNP_MBZ_SIGNER, true); /* bit 5 */
	expect_warn(V3, 0x04B, 0x80, TEEABI_W_SNP_MBZ_SIGNER, true); /* bit 31 */
	expect_warn(V3, 0x04C, 0x01, TEEABI_W_SNP_MBZ_SIGNER, true); /* reserved word */
	expect_warn(V3, 0x04F, 0x01, TEEABI_W_SNP_MBZ_SIGNER, true);
}

static void test_mbz_cpuid(void **state)
{
	(void)state;
	expect_warn(V2, 0x188, 0x19, TEEABI_W_SNP_MBZ_CPUID, true); /* v2: CPUID bytes are MBZ */
	expect_warn(V2, 0x19F, 0x01, TEEABI_W_SNP_MBZ_CPUID, true);
	expect_warn(V3, 0x18B, 0x01, TEEABI_W_SNP_MBZ_CPUID, true);
	expect_warn(V3, 0x19F, 0x01, TEEABI_W_SNP_MBZ_CPUID, true);
	expect_warn(V3, 0x18A, 0x02, 0, false);                      /* v3: stepping is a field */
}

static void test_mbz_fw(void **state)
{
	(void)state;
	expect_warn(V3, 0x1EB, 0x01, TEEABI_W_SNP_MBZ_FW, true);
	expect_warn(V3, 0x1EF, 0x01, TEEABI_W_SNP_MBZ_FW, true);
}

static void test_mbz_mit(void **state)
{
	(void)state;
	expect_warn(V2, 0x1F8, 0x01, TEEABI_W_SNP_MBZ_MIT, true);
	expect_warn(V3, 0x207, 0x01, TEEABI_W_SNP_MBZ_MIT, true);
	expect_warn(V5, 0x1F8, 0x07, 0, false); /* v5: LAUNCH_MIT_VECTOR is a field */
	expect_warn(V5, 0x207, 0x07, 0, false);
}

static void test_mbz_tail(void **state)
{
	(void)state;
	expect_warn(V3, 0x208, 0x01, TEEABI_W_SNP_MBZ_TAIL, true);
	expect_warn(V5, 0x29F, 0x80, TEEABI_W_SNP_MBZ_TAIL, true);
}

static void test_mbz_sig(void **state)
{
	(void)state;
	expect_warn(V3, 0x2A0 + 48, 0x01, TEEABI_W_SNP_MBZ_SIG, true); /* R high bytes */
	expect_warn(V3, 0x2A0 + 71, 0x01, TEEABI_W_SNP_MBZ_SIG, true);
	expect_warn(V3, 0x2E8 + 48, 0x01, TEEABI_W_SNP_MBZ_SIG, true); /* S high bytes */
	expect_warn(V3, 0x330, 0x01, TEEABI_W_SNP_MBZ_SIG, true);      /* unsigned tail */
	expect_warn(V3, 0x49F, 0x01, TEEABI_W_SNP_MBZ_SIG, true);
}

static void test_non_mbz_warnings(void **state)
{
	(void)state;
	/* policy 0x3001f: clear bit 17 -> rsvd1 warning only */
	expect_warn(V3, 0x00A, 0x01, TEEABI_W_SNP_POLICY_RSVD1, false);
	expect_warn(V3, 0x00B, 0x04, TEEABI_W_SNP_POLICY_UNKNOWN, false); /* bit 26 */
	expect_warn(V3, 0x00F, 0x80, TEEABI_W_SNP_POLICY_UNKNOWN, false); /* bit 63 */
	expect_warn(V3, 0x040, 0x27 | 0x40, TEEABI_W_SNP_PLATINFO_UNKNOWN, false); /* bit 6 */
	expect_warn(V3, 0x041, 0x01, TEEABI_W_SNP_PLATINFO_UNKNOWN, false);        /* bit 8 */
	expect_warn(V3, 0x040, 0xa7, 0, false);                                    /* bit 7: SEV-TIO */
	expect_warn(V3, 0x048, 0x08, TEEABI_W_SNP_SIGNING_KEY_RSVD, false);        /* key 2 */
	expect_warn(V3, 0x048, 0x18, TEEABI_W_SNP_SIGNING_KEY_RSVD, false);        /* key 6 */
	expect_warn(V3, 0x048, 0x04, 0, false);                                    /* key 1: VLEK */
	expect_warn(V3, 0x048, 0x1c, 0, false);                                    /* key 7: none */
	/* names */
	assert_string_equal(teeabi_snp_warning_name(TEEABI_W_SNP_MBZ_SIG), "mbz_sig");
	assert_string_equal(teeabi_snp_warning_name(TEEABI_W_SNP_PLATINFO_UNKNOWN), "platinfo_unknown");
	assert_null(teeabi_snp_warning_name(1u << 20));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_specific_fields),
		cmocka_unit_test(test_turin_tcb),
		cmocka_unit_test(test_legacy_tcb),
		cmocka_unit_test(test_tcb_decode_layouts),
		cmocka_unit_test(test_generation_choice),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_version_sigalgo),
		cmocka_unit_test(test_mbz_signer),
		cmocka_unit_test(test_mbz_cpuid),
		cmocka_unit_test(test_mbz_fw),
		cmocka_unit_test(test_mbz_mit),
		cmocka_unit_test(test_mbz_tail),
		cmocka_unit_test(test_mbz_sig),
		cmocka_unit_test(test_non_mbz_warnings),
	};
	return cmocka_run_group_tests_name("snp_report", tests, NULL, NULL);
}
