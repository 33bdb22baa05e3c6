/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_tdreport.c - TDREPORT_STRUCT parser and hash checks (lib/tdx_report.c).
 *
 * Input: the raw bytes handed to teeabi_tdreport_parse / teeabi_tdreport_verify_hashes.
 * Properties (offsets from docs/formats.md §1, written out here, not taken from tdx.h):
 *   - the verdict is exactly: size 1024, TYPE 0x81, SUBTYPE 0 (in that order);
 *   - on success every field equals the bytes at its offset, VALID/tdx15 agree, and the
 *     warnings are exactly "VERSION != 0" and "a reserved range is non-zero";
 *   - verify_hashes agrees with SHA-384 computed here over [0x100,0x1EF) and
 *     [0x200,0x400); with both hashes written in, it returns OK; after one byte of a
 *     hashed range is changed, it names that range.
 */
#include <openssl/evp.h>
#include "fuzz.h"
#include "teeabi/err.h"
#include "teeabi/tdx.h"

#define LEN 1024

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void sha384(const uint8_t *p, size_t n, uint8_t out[48])
{
	unsigned int l = 0;
	FZ_CHECK(EVP_Digest(p, n, out, &l, EVP_sha384(), NULL) == 1 && l == 48, "SHA-384 failed");
}

static void check_fields(const uint8_t *d, const struct teeabi_tdreport *r)
{
	FZ_CHECK(r->type == 0x81 && r->subtype == 0 && r->version == d[2], "type %u subtype %u version %u", r->type,
		 r->subtype, r->version);
	FZ_CHECK(r->cpusvn == d + 0x010, "cpusvn");
	FZ_CHECK(r->tee_tcb_info_hash == d + 0x020, "tee_tcb_info_hash");
	FZ_CHECK(r->tee_info_hash == d + 0x050, "tee_info_hash");
	FZ_CHECK(r->mac == d + 0x0E0, "mac");
	FZ_CHECK(r->valid == le64(d + 0x100), "valid %llx", (unsigned long long)r->valid);
	FZ_CHECK(r->tdx15 == ((r->valid & 0x30000) == 0x30000), "tdx15 %d valid %llx", r->tdx15,
		 (unsigned long long)r->valid);
	const struct teeabi_td_fields *t = &r->td;
	FZ_CHECK(t->report_data == d + 0x080, "report_data");
	FZ_CHECK(t->tee_tcb_svn == d + 0x108, "tee_tcb_svn");
	FZ_CHECK(t->mrseam == d + 0x118, "mrseam");
	FZ_CHECK(t->mrsignerseam == d + 0x148, "mrsignerseam");
	FZ_CHECK(t->seam_attributes == le64(d + 0x178), "seam_attributes");
	FZ_CHECK(t->tee_tcb_svn2 == d + 0x180, "tee_tcb_svn2");
	FZ_CHECK(t->td_attributes == le64(d + 0x200), "td_attributes");
	FZ_CHECK(t->xfam == le64(d + 0x208), "xfam");
	FZ_CHECK(t->mrtd == d + 0x210, "mrtd");
	FZ_CHECK(t->mrconfigid == d + 0x240, "mrconfigid");
	FZ_CHECK(t->mrowner == d + 0x270, "mrowner");
	FZ_CHECK(t->mrownerconfig == d + 0x2A0, "mrownerconfig");
	for (int i = 0; i < 4; i++)
		FZ_CHECK(t->rtmr[i] == d + 0x2D0 + 48 * i, "rtmr%d", i);
	FZ_CHECK(t->mr_servicetd == d + 0x390, "mr_servicetd");

	/* reserved: REPORTTYPE.reserved + 12 (0x003..0x010), 0x0C0..0x0E0, TEE_TCB_INFO tail
	 * 0x190..0x1EF, the gap 0x1EF..0x200, TDINFO tail 0x3C0..0x400 */
	int rsvd = !zero(d + 0x003, 13) || !zero(d + 0x0C0, 32) || !zero(d + 0x190, 95) || !zero(d + 0x1EF, 17) ||
		   !zero(d + 0x3C0, 64);
	uint32_t want = (d[2] ? TEEABI_W_TDREPORT_VERSION : 0) | (rsvd ? TEEABI_W_TDREPORT_RESERVED : 0);
	FZ_CHECK(r->warnings == want, "warnings 0x%x, expected 0x%x", r->warnings, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct teeabi_tdreport r;
	teeabi_err e = teeabi_tdreport_parse(data, size, &r);
	teeabi_err want = size != LEN ? TEEABI_E_TDREPORT_SIZE
			  : data[0] != 0x81 ? TEEABI_E_TDREPORT_TYPE
			  : data[1] != 0 ? TEEABI_E_TDREPORT_SUBTYPE
			  : TEEABI_OK;
	FZ_CHECK(e == want, "parse returned %s, expected %s", teeabi_err_name(e), teeabi_err_name(want));
	if (e == TEEABI_OK)
		check_fields(data, &r);

	teeabi_err h = teeabi_tdreport_verify_hashes(data, size);
	if (size != LEN) {
		FZ_CHECK(h == TEEABI_E_TDREPORT_SIZE, "verify_hashes(%zu bytes) returned %s", size, teeabi_err_name(h));
		return 0;
	}
	uint8_t tcb[48], info[48];
	sha384(data + 0x100, 239, tcb);
	sha384(data + 0x200, 512, info);
	want = memcmp(tcb, data + 0x020, 48) ? TEEABI_E_TDREPORT_TCB_HASH
	       : memcmp(info, data + 0x050, 48) ? TEEABI_E_TDREPORT_INFO_HASH
	       : TEEABI_OK;
	FZ_CHECK(h == want, "verify_hashes returned %s, expected %s", teeabi_err_name(h), teeabi_err_name(want));

	/* The same report with both hashes right, then with one hashed byte changed (the MAC
	 * byte at 0x0E0 picks which, so the fuzzer steers it). */
	uint8_t c[LEN];
	memcpy(c, data, LEN);
	memcpy(c + 0x020, tcb, 48);
	memcpy(c + 0x050, info, 48);
	h = teeabi_tdreport_verify_hashes(c, LEN);
	FZ_CHECK(h == TEEABI_OK, "verify_hashes with correct hashes returned %s", teeabi_err_name(h));
	unsigned k = data[0x0E0] | (unsigned)data[0x0E1] << 8;
	size_t off = 0x100 + k % (239 + 512);
	if (off >= 0x1EF)
		off += 0x200 - 0x1EF; /* skip the unhashed gap */
	c[off] ^= (uint8_t)(data[0x0E2] | 1);
	h = teeabi_tdreport_verify_hashes(c, LEN);
	want = off < 0x1EF ? TEEABI_E_TDREPORT_TCB_HASH : TEEABI_E_TDREPORT_INFO_HASH;
	FZ_CHECK(h == want, "byte 0x%zx changed: verify_hashes returned %s, expected %s", off, teeabi_err_name(h),
		 teeabi_err_name(want));
	return 0;
}
