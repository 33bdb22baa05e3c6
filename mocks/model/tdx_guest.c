/* SPDX-License-Identifier: Apache-2.0 */
/* tdx_guest.c - placeholder lifecycle; the real implementation replaces this file. */
#include "internal.h"
int tm_tdx_init(struct tm_dev *d) { (void)d; return 0; }
void tm_tdx_fini(struct tm_dev *d) { (void)d; }
void tm_tdx_reset(struct tm_dev *d) { (void)d; }
