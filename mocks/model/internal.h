/* SPDX-License-Identifier: Apache-2.0 */
/*
 * internal.h - what the model files share. Each interface keeps its state behind its own
 * pointer and its own init/free/reset functions:
 *   tdx_guest.c + tsm_mr.c + pki_tdx.c   -> struct tm_tdx_state, struct tm_pki_tdx
 *   sev_guest.c + pki_snp.c              -> struct tm_sev_state, struct tm_pki_snp
 *   tsm_report.c (+ svsm.c, stateless)   -> struct tm_tsm_state
 * machine.c owns struct tm_dev, the lock and the fault mask.
 */
#ifndef TEEABI_MODEL_INTERNAL_H
#define TEEABI_MODEL_INTERNAL_H

#include <pthread.h>
#include "model.h"

struct tm_tdx_state;
struct tm_sev_state;
struct tm_tsm_state;
struct tm_pki_tdx;
struct tm_pki_snp;

struct tm_dev {
	struct teeabi_profile prof;
	tm_fault_mask faults;
	bool fast_sign; /* tm_set_fast_sign */
	/* One lock for the whole machine. Callers of the public tm_* API take it; internal
	 * helpers named *_locked expect it held. Recursive so providers can call into the
	 * TDX/SEV parts while serving a configfs read. */
	pthread_mutex_t lock;
	struct tm_tdx_state *tdx;
	struct tm_sev_state *sev;
	struct tm_tsm_state *tsm;
	struct tm_pki_tdx *pki_tdx;
	struct tm_pki_snp *pki_snp;
};

#define TM_LOCK(d)   pthread_mutex_lock(&(d)->lock)
#define TM_UNLOCK(d) pthread_mutex_unlock(&(d)->lock)
#define TM_FAULT(d, f) tm_fault_in(&(d)->faults, TM_FAULT_##f)

/* Per-part lifecycle, called by machine.c with the lock free. Return 0 or -errno. */
int tm_tdx_init(struct tm_dev *d);   void tm_tdx_fini(struct tm_dev *d);   void tm_tdx_reset(struct tm_dev *d);
int tm_sev_init(struct tm_dev *d);   void tm_sev_fini(struct tm_dev *d);   void tm_sev_reset(struct tm_dev *d);
int tm_tsm_init(struct tm_dev *d);   void tm_tsm_fini(struct tm_dev *d);   void tm_tsm_reset(struct tm_dev *d);
int tm_pki_tdx_init(struct tm_dev *d); void tm_pki_tdx_fini(struct tm_dev *d);
int tm_pki_snp_init(struct tm_dev *d); void tm_pki_snp_fini(struct tm_dev *d);

/* Implemented in tdx_guest.c, used by pki_tdx.c (the TDX part is set up first): the
 * platform's CPUSVN and TEE_TCB_SVN (16 bytes each), and SHA-384("teeabi-mock/<profile>/
 * <label>") cut to n <= 48 bytes. */
const uint8_t *tm_tdx_cpusvn(struct tm_dev *d);
const uint8_t *tm_tdx_tee_tcb_svn(struct tm_dev *d);
int tm_tdx_derive(struct tm_dev *d, const char *label, uint8_t *out, size_t n);
/* Implemented in tdx_guest.c / pki_tdx.c, used by tsm_report.c (lock held). */
int tm_tdx_tdreport_locked(struct tm_dev *d, const uint8_t reportdata[64], uint8_t out[1024]);
int tm_tdx_quote_locked(struct tm_dev *d, const uint8_t tdreport[1024], uint8_t **out, size_t *len);
/* Implemented in sev_guest.c, used by tsm_report.c (lock held): an extended report request
 * as the kernel's sev_report_new() issues it. Returns 0 or -errno as the provider would. */
int tm_sev_ext_report_locked(struct tm_dev *d, const uint8_t user_data[64], uint32_t vmpl,
			     uint8_t resp[4000], uint8_t *certs, size_t *certs_len);
/* Implemented in sev_guest.c, used by svsm.c (lock held): the firmware's MSG_REPORT_REQ for a
 * requester at requester_vmpl (vmpl below it or above 3 -> status 0x16), bypassing the guest
 * driver's message path (an SVSM has its own VMPCK0 and sequence numbers). 0 or -errno. */
int tm_sev_fw_report_locked(struct tm_dev *d, unsigned requester_vmpl, const uint8_t user_data[64], uint32_t vmpl,
			    uint8_t resp[4000], uint32_t *status);

/* Implemented in svsm.c, used by tsm_report.c (lock held): one SVSM attestation call
 * (SVSM_ATTEST_SERVICES when guid is NULL, else SVSM_ATTEST_SINGLE_SERVICE) with the
 * guest's buffers. On entry the *_len fields are the buffer sizes; on return they hold the
 * bytes written, or (with TM_SVSM_ERR_INVALID_PARAMETER) the sizes a retry needs. */
struct tm_svsm_call {
	const uint8_t *nonce;
	size_t nonce_len;
	const uint8_t *guid;      /* guid_t byte order; NULL = all services */
	unsigned manifest_ver;
	uint8_t *report, *manifest, *certs;
	size_t report_len, manifest_len, certs_len;
};
/* SVSM result codes (RAX), SVSM spec 58019 / coconut-svsm protocols/errors.rs */
#define TM_SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001ULL
#define TM_SVSM_ERR_INVALID_PARAMETER    0x80000005ULL
#define TM_SVSM_ERR_INVALID_REQUEST      0x80000006ULL
uint64_t tm_svsm_attest_locked(struct tm_dev *d, struct tm_svsm_call *c);

#endif
