/* SPDX-License-Identifier: Apache-2.0 */
/* sev_internal.h - what pki_snp.c offers sev_guest.c (and unit tests). Lock held or not
 * needed: the PKI is immutable after tm_new. */
#ifndef TEEABI_MODEL_SEV_INTERNAL_H
#define TEEABI_MODEL_SEV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tm_dev;
/* ECDSA-P384 over SHA-384(msg) with the VCEK key; R and S as 72-byte little-endian,
 * zero-extended from 48 bytes (the SNP report signature layout). 0 or -errno. */
int tm_pki_snp_sign(struct tm_dev *d, const uint8_t *msg, size_t len, uint8_t r_le[72], uint8_t s_le[72]);
const uint8_t *tm_pki_snp_ark_der(struct tm_dev *d, size_t *len);
const uint8_t *tm_pki_snp_ask_der(struct tm_dev *d, size_t *len);

/* What the simulated part is (profile snp_product): the firmware reports cpuid and tcb,
 * the VCEK carries kds_name, the TCB SPLs and hwid_len bytes of the CHIP_ID. */
struct tm_snp_product {
	const char *name;      /* Milan, Genoa, Turin: the KDS path and ARK-/SEV- names */
	const char *kds_name;  /* productName extension: Milan-B0, Genoa, Turin */
	uint64_t tcb;          /* TCB_VERSION of current/committed/launch/reported */
	uint8_t cpuid[3];      /* family, model, stepping */
	bool turin_tcb;        /* fmc/bl/tee/snp/.../ucode layout */
	size_t hwid_len;       /* bytes of CHIP_ID that are the hwID (Turin 8) */
	const char *ark_pem, *ask_pem, *ask_key_pem, *asvk_pem, *asvk_key_pem;
};
const struct tm_snp_product *tm_snp_product_of(const struct tm_dev *d);
/* The CSP ID of the test VLEKs */
#define TM_SNP_TEST_CSP_ID "teeabi-test-csp"
/* The machine's CHIP_ID (64 bytes; zero past hwid_len on Turin), from sev_guest.c; the SEV
 * part is set up before the PKI. */
const uint8_t *tm_sev_chip_id(struct tm_dev *d);

#endif
