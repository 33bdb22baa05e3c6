/* SPDX-License-Identifier: Apache-2.0 */
/*
 * internal.h - what the model files share. Each interface keeps its state behind its own
 * pointer and its own init/free/reset functions:
 *   tdx_guest.c + tsm_mr.c + pki_tdx.c   -> struct tm_tdx_state, struct tm_pki_tdx
 *   sev_guest.c + pki_snp.c              -> struct tm_sev_state, struct tm_pki_snp
 *   tsm_report.c                         -> struct tm_tsm_state
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
	uint64_t faults;
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
#define TM_FAULT(d, f) (((d)->faults & TM_FAULT_BIT(TM_FAULT_##f)) != 0)

/* Per-part lifecycle, called by machine.c with the lock free. Return 0 or -errno. */
int tm_tdx_init(struct tm_dev *d);   void tm_tdx_fini(struct tm_dev *d);   void tm_tdx_reset(struct tm_dev *d);
int tm_sev_init(struct tm_dev *d);   void tm_sev_fini(struct tm_dev *d);   void tm_sev_reset(struct tm_dev *d);
int tm_tsm_init(struct tm_dev *d);   void tm_tsm_fini(struct tm_dev *d);   void tm_tsm_reset(struct tm_dev *d);
int tm_pki_tdx_init(struct tm_dev *d); void tm_pki_tdx_fini(struct tm_dev *d);
int tm_pki_snp_init(struct tm_dev *d); void tm_pki_snp_fini(struct tm_dev *d);

/* Implemented in tdx_guest.c / pki_tdx.c, used by tsm_report.c (lock held). */
int tm_tdx_tdreport_locked(struct tm_dev *d, const uint8_t reportdata[64], uint8_t out[1024]);
int tm_tdx_quote_locked(struct tm_dev *d, const uint8_t tdreport[1024], uint8_t **out, size_t *len);
/* Implemented in sev_guest.c, used by tsm_report.c (lock held): an extended report request
 * as the kernel's sev_report_new() issues it. Returns 0 or -errno as the provider would. */
int tm_sev_ext_report_locked(struct tm_dev *d, const uint8_t user_data[64], uint32_t vmpl,
			     uint8_t resp[4000], uint8_t *certs, size_t *certs_len);

#endif
