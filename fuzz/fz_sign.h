/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fz_sign.h - the evidence signature checks of the harnesses that drive the device
 * models. Those harnesses turn the machines' fast signing on (tm_set_fast_sign: a cheap
 * deterministic stand-in for ECDSA, mocks/model/model.h) for fuzzing speed, and then check
 * every signature: the stand-in must be over exactly the bytes the real signature covers,
 * where the real one would be. With fast signing off (fuzz_sign) the library's ECDSA
 * verifies run instead.
 */
#ifndef TEEABI_FZ_SIGN_H
#define TEEABI_FZ_SIGN_H

#include "model.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

/* The signature of an SNP report (>= 0x4A0 bytes) that machine d made. */
static inline teeabi_err fz_snp_report_sig(struct tm_dev *d, const uint8_t *rep, size_t len)
{
	if (!tm_fast_sign_on(d)) {
		size_t vl = 0;
		const uint8_t *vcek = tm_sev_vcek_der(d, &vl);
		return teeabi_snp_report_verify(rep, len, vcek, vl);
	}
	if (len < TEEABI_SNP_REPORT_LEN)
		return TEEABI_E_SNP_REPORT_SIZE;
	const uint8_t *r = rep + SNP_OFF_SIGNATURE, *s = r + 72;
	return tm_fast_sign_check(rep, SNP_SIGNED_LEN, 48, r, s) && teeabi_all_zero(r + 48, 24) &&
			       teeabi_all_zero(s + 48, 24)
		       ? TEEABI_OK
		       : TEEABI_E_SIG_INVALID;
}

/* Both signatures of a parsed quote machine d made: the quote's and the QE report's. */
static inline teeabi_err fz_quote_sigs(struct tm_dev *d, const uint8_t *q, const struct teeabi_tdx_quote *pq)
{
	if (!tm_fast_sign_on(d)) {
		teeabi_err e = teeabi_tdx_quote_verify_signature(q, pq);
		return e ? e : teeabi_tdx_quote_verify_qe_report_sig(pq);
	}
	return tm_fast_sign_check(q, pq->signed_len, 32, pq->signature, pq->signature + 32) &&
			       tm_fast_sign_check(pq->qe_report, TEEABI_SGX_REPORT_LEN, 32, pq->qe_report_sig,
						  pq->qe_report_sig + 32)
		       ? TEEABI_OK
		       : TEEABI_E_SIG_INVALID;
}

#endif
