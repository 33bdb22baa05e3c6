/* SPDX-License-Identifier: Apache-2.0 */
/* pki_snp.c - placeholder lifecycle; the real implementation replaces this file. */
#include "internal.h"
int tm_pki_snp_init(struct tm_dev *d) { (void)d; return 0; }
void tm_pki_snp_fini(struct tm_dev *d) { (void)d; }
