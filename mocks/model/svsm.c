/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svsm.c - the SVSM's attestation protocol as the sev_guest provider of configfs-tsm
 * reaches it (kernel-abi.md §2.6): SVSM_ATTEST_SERVICES (every service) and
 * SVSM_ATTEST_SINGLE_SERVICE (one service by GUID and manifest version).
 *
 * What was read to write this (facts only, no code taken):
 *   - coconut-svsm kernel/src/protocols/attest.rs: the report is an SNP ATTESTATION_REPORT
 *     requested from the firmware at VMPL0 whose REPORT_DATA is SHA-512(nonce || manifest);
 *     the nonce must be 64 bytes; the all-services manifest is a GUID table: a 24-byte header
 *     {services-manifest GUID 63849ebb-3d92-4670-a1ff-58f9c94b87bb, u32 total length, u32
 *     entry count}, then one 24-byte entry {service GUID, u32 offset from the table start,
 *     u32 length} per service, then the services' manifests; GUIDs in guid_t (mixed-endian)
 *     byte order; a single-service call returns that service's own manifest, accepts only
 *     manifest version 0 (else INVALID_PARAMETER) and an unknown GUID is
 *     UNSUPPORTED_PROTOCOL; the report is the 1184-byte report without the MSG_REPORT_RSP
 *     header; a buffer too small is an error.
 *   - the kernel's sev_svsm_report_new() (sev-guest.c, 6.11 form): buffers of 4K (report),
 *     4K (manifest) and 16K (certificates), grown to what the SVSM asks for when it answers
 *     INVALID_PARAMETER, at most 3 retries; any other failure is -EINVAL; outblob, manifestblob
 *     and auxblob are the bytes the SVSM reports as written (no auxblob when 0).
 *
 * Model choices (inferred, not from a source):
 *   - the SVSM offers one service, a vTPM (GUID c476f1eb-0123-45a5-9641-b4e7dde5bfe3, the
 *     one coconut-svsm registers); its manifest stands in for the vTPM's EK public key and is
 *     opaque here: 64 deterministic bytes, SHA-512("teeabi-svsm-vtpm-manifest" || profile name);
 *   - too-small buffers are answered the way the SVSM specification and the kernel's retry
 *     loop expect (INVALID_PARAMETER with the sizes needed), where coconut-svsm answers
 *     with a protocol-specific error; with the kernel's first buffers nothing here is too
 *     small;
 *   - certificates: coconut-svsm returns none (length 0). This SVSM returns the host's
 *     certificate table cut at the end of its furthest certificate, so that the report can
 *     be checked from the entry alone (auxblob); the suites accept both.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "internal.h"
#include "teeabi/abi.h"
#include "teeabi/bytes.h"

#define NONCE_LEN 64
#define ENTRY_LEN TEEABI_SVSM_GUID_ENTRY_LEN
#define VTPM_MANIFEST_LEN 64

/* SHA-512 over two pieces. 0 or -EIO. */
static int sha512_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	int rc = -EIO;

	if (!c)
		return -ENOMEM;
	if (EVP_DigestInit_ex(c, EVP_sha512(), NULL) > 0 && EVP_DigestUpdate(c, a, alen) > 0 &&
	    EVP_DigestUpdate(c, b, blen) > 0 && EVP_DigestFinal_ex(c, out, &n) > 0 && n == 64)
		rc = 0;
	EVP_MD_CTX_free(c);
	return rc;
}

/* The vTPM service's manifest (opaque, deterministic per profile). */
static int vtpm_manifest(struct tm_dev *d, uint8_t out[VTPM_MANIFEST_LEN])
{
	static const char label[] = "teeabi-svsm-vtpm-manifest";
	return sha512_2(label, sizeof(label) - 1, d->prof.name, strnlen(d->prof.name, sizeof(d->prof.name)), out);
}

/* Build the manifest the call asks for into a malloc'd buffer. Returns 0, or an SVSM
 * error code for an unknown service or an unsupported manifest version. */
static uint64_t build_manifest(struct tm_dev *d, const struct tm_svsm_call *c, uint8_t **out, size_t *len)
{
	uint8_t vtpm_guid[16], vtpm[VTPM_MANIFEST_LEN], *m;

	teeabi_guid_parse_le(TEEABI_SVSM_VTPM_GUID, vtpm_guid);
	if (vtpm_manifest(d, vtpm))
		return TM_SVSM_ERR_INVALID_REQUEST;
	if (c->guid) {
		if (memcmp(c->guid, vtpm_guid, 16))
			return TM_SVSM_ERR_UNSUPPORTED_PROTOCOL;
		if (c->manifest_ver != 0)
			return TM_SVSM_ERR_INVALID_PARAMETER;
		m = malloc(VTPM_MANIFEST_LEN);
		if (!m)
			return TM_SVSM_ERR_INVALID_REQUEST;
		memcpy(m, vtpm, VTPM_MANIFEST_LEN);
		*out = m;
		*len = VTPM_MANIFEST_LEN;
		return 0;
	}
	/* services manifest: header, one entry, the vTPM's manifest */
	size_t total = 2 * ENTRY_LEN + VTPM_MANIFEST_LEN;
	m = calloc(1, total);
	if (!m)
		return TM_SVSM_ERR_INVALID_REQUEST;
	teeabi_guid_parse_le(TEEABI_SVSM_SERVICES_MANIFEST_GUID, m);
	teeabi_put_le32(m + 16, (uint32_t)total);
	/* svsm-services-manifest-count-zero: the count written before the table was filled */
	teeabi_put_le32(m + 20, TM_FAULT(d, SVSM_SERVICES_MANIFEST_COUNT_ZERO) ? 0 : 1);
	memcpy(m + ENTRY_LEN, vtpm_guid, 16);
	teeabi_put_le32(m + ENTRY_LEN + 16, 2 * ENTRY_LEN);
	teeabi_put_le32(m + ENTRY_LEN + 20, VTPM_MANIFEST_LEN);
	memcpy(m + 2 * ENTRY_LEN, vtpm, VTPM_MANIFEST_LEN);
	*out = m;
	*len = total;
	return 0;
}

/* The host's certificate table cut at max(offset + length) over the entries before the
 * all-zero terminator (what an extended guest request hands the SVSM). */
static size_t certs_len(struct tm_dev *d, const uint8_t **blob)
{
	size_t bl, end = 0;
	const uint8_t *b = tm_sev_certs(d, &bl);

	for (size_t i = 0; i + ENTRY_LEN <= bl && !teeabi_all_zero(b + i, ENTRY_LEN); i += ENTRY_LEN) {
		uint64_t e = (uint64_t)teeabi_le32(b + i + 16) + teeabi_le32(b + i + 20);
		if (e > end)
			end = (size_t)e;
	}
	*blob = b;
	return end < bl ? end : bl;
}

uint64_t tm_svsm_attest_locked(struct tm_dev *d, struct tm_svsm_call *c)
{
	uint8_t resp[sizeof(struct teeabi_snp_report_resp)], rd[64], *man = NULL;
	const uint8_t *certs;
	size_t mlen = 0, clen;
	uint32_t status = 0;
	uint64_t rc;

	if (!c->nonce || c->nonce_len != NONCE_LEN)
		return TM_SVSM_ERR_INVALID_PARAMETER;
	rc = build_manifest(d, c, &man, &mlen);
	if (rc)
		return rc;
	clen = certs_len(d, &certs);
	if (mlen > c->manifest_len || TEEABI_SNP_REPORT_LEN > c->report_len || clen > c->certs_len) {
		c->manifest_len = mlen;
		c->report_len = TEEABI_SNP_REPORT_LEN;
		c->certs_len = clen;
		free(man);
		return TM_SVSM_ERR_INVALID_PARAMETER;
	}
	/* REPORT_DATA = SHA-512(nonce || manifest), requested at VMPL0 with the SVSM's key;
	 * tsm-svsm-single-service-hashes-services-manifest: a single-service call that hashes
	 * the all-services manifest (not the manifest it returns) */
	const uint8_t *hm = man;
	size_t hl = mlen;
	uint8_t *all = NULL;
	if (c->guid && TM_FAULT(d, TSM_SVSM_SINGLE_SERVICE_HASHES_SERVICES_MANIFEST)) {
		struct tm_svsm_call every = *c;
		every.guid = NULL;
		if (build_manifest(d, &every, &all, &hl)) {
			free(man);
			return TM_SVSM_ERR_INVALID_REQUEST;
		}
		hm = all;
	}
	if (TM_FAULT(d, TSM_SVSM_REPORTDATA_NOT_HASHED))
		memcpy(rd, c->nonce, 64);
	else if (sha512_2(c->nonce, NONCE_LEN, hm, hl, rd)) {
		free(all);
		free(man);
		return TM_SVSM_ERR_INVALID_REQUEST;
	}
	free(all);
	if (tm_sev_fw_report_locked(d, 0, rd, 0, resp, &status) || status) {
		free(man);
		return TM_SVSM_ERR_INVALID_REQUEST;
	}
	memcpy(c->report, resp + TEEABI_SNP_MSG_REPORT_RSP_HDR, TEEABI_SNP_REPORT_LEN);
	c->report_len = TEEABI_SNP_REPORT_LEN;
	memcpy(c->manifest, man, mlen);
	c->manifest_len = mlen;
	memcpy(c->certs, certs, clen);
	c->certs_len = clen;
	free(man);
	return 0;
}
