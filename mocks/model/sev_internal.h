/* SPDX-License-Identifier: Apache-2.0 */
/* sev_internal.h - what pki_snp.c offers sev_guest.c (and unit tests). Lock held or not
 * needed: the PKI is immutable after tm_new. */
#ifndef TEEABI_MODEL_SEV_INTERNAL_H
#define TEEABI_MODEL_SEV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct tm_dev;
/* ECDSA-P384 over SHA-384(msg) with the VCEK key; R and S as 72-byte little-endian,
 * zero-extended from 48 bytes (the SNP report signature layout). 0 or -errno. */
int tm_pki_snp_sign(struct tm_dev *d, const uint8_t *msg, size_t len, uint8_t r_le[72], uint8_t s_le[72]);
const uint8_t *tm_pki_snp_ark_der(struct tm_dev *d, size_t *len);
const uint8_t *tm_pki_snp_ask_der(struct tm_dev *d, size_t *len);

#endif
