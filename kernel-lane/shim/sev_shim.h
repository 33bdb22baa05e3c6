/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev_shim.h - included (-include) before the kernel's unmodified sev-guest.c of 6.x (the
 * driver encrypts its messages itself and calls snp_issue_guest_request()). What reaches
 * the PSP or the hypervisor becomes a call of the kernel lane's shim (sev_shim.c,
 * sev_common.c):
 *  - snp_issue_guest_request(): the GHCB guest request (SNP_GUEST_REQUEST / EXT_GUEST_REQUEST);
 *  - ioremap_encrypted() / iounmap(): the secrets page (VMPCKs, message sequence numbers);
 *  - the SNP gate and the platform device (sev_gate.h).
 */
#include "sev_gate.h"
#define snp_issue_guest_request teeabi_shim_snp_issue_guest_request
/* <asm/io.h> defines both names to themselves: take it first, then rename */
#include <linux/io.h>
#undef ioremap_encrypted
#undef iounmap
#define ioremap_encrypted teeabi_shim_ioremap_encrypted
#define iounmap teeabi_shim_iounmap
void __iomem *teeabi_shim_ioremap_encrypted(resource_size_t phys_addr, unsigned long size);
void teeabi_shim_iounmap(volatile void __iomem *addr);
