/* SPDX-License-Identifier: Apache-2.0 */
/* tsm_report.c - placeholder lifecycle; the real implementation replaces this file. */
#include "internal.h"
int tm_tsm_init(struct tm_dev *d) { (void)d; return 0; }
void tm_tsm_fini(struct tm_dev *d) { (void)d; }
void tm_tsm_reset(struct tm_dev *d) { (void)d; }
