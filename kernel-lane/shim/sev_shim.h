/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev_shim.h - included (-include) before the kernel's unmodified sev-guest.c (6.x form: the
 * driver encrypts its messages itself and calls snp_issue_guest_request()). What reaches the
 * PSP or the hypervisor becomes a call of the kernel lane's shim (sev_shim.c):
 *  - snp_issue_guest_request(): the GHCB guest request (SNP_GUEST_REQUEST / EXT_GUEST_REQUEST);
 *  - ioremap_encrypted() / iounmap(): the secrets page (VMPCKs, message sequence numbers);
 *  - cc_platform_has(): the SEV-SNP gate of probe;
 *  - __platform_driver_probe() / platform_driver_unregister(): the "sev-guest" platform
 *    device that arch/x86/coco/sev registers on an SNP guest, with the secrets page address.
 */
#define snp_issue_guest_request teeabi_shim_snp_issue_guest_request
/* <asm/io.h> defines both names to themselves: take it first, then rename */
#include <linux/io.h>
#undef ioremap_encrypted
#undef iounmap
#define ioremap_encrypted teeabi_shim_ioremap_encrypted
#define iounmap teeabi_shim_iounmap
void __iomem *teeabi_shim_ioremap_encrypted(resource_size_t phys_addr, unsigned long size);
void teeabi_shim_iounmap(volatile void __iomem *addr);
#include <linux/cc_platform.h>
#define cc_platform_has teeabi_shim_cc_platform_has
bool teeabi_shim_cc_platform_has(enum cc_attr attr);
#define __platform_driver_probe teeabi_shim___platform_driver_probe
#define platform_driver_unregister teeabi_shim_platform_driver_unregister
