/* SPDX-License-Identifier: Apache-2.0 */
/* sev_guest.c - placeholder lifecycle; the real implementation replaces this file. */
#include "internal.h"
int tm_sev_init(struct tm_dev *d) { (void)d; return 0; }
void tm_sev_fini(struct tm_dev *d) { (void)d; }
void tm_sev_reset(struct tm_dev *d) { (void)d; }
