/* SPDX-License-Identifier: GPL-2.0 */
/* sev_common.h - what sev_common.c offers the two forms of the SEV-SNP shim. */
#ifndef TEEABI_SEV_COMMON_H
#define TEEABI_SEV_COMMON_H
#include <linux/platform_device.h>
#include <linux/types.h>
#include <uapi/linux/sev-guest.h>

/* a non-zero "GPA" for the platform data (6.x); the secrets page is the shim's */
#define SHIM_SECRETS_GPA 0x5ec7e000UL

bool teeabi_shim_cc_platform_has(enum cc_attr attr);
int teeabi_shim_platform_driver_probe(struct platform_driver *drv,
				      int (*probe)(struct platform_device *));
void teeabi_shim_platform_driver_unregister(struct platform_driver *drv);

/* A fresh secrets page from the firmware (VMPCK0-3), kzalloc'd; NULL on failure. */
void *shim_snp_secrets(void);
/*
 * One SNP_GUEST_REQUEST (ext false) or SNP_EXTENDED_GUEST_REQUEST through the hypervisor:
 * req and resp are message pages, certs *npages pages (ext). Returns what
 * arch/x86/coco/sev/core.c snp_issue_guest_request() returns for the host's SW_EXITINFO2:
 * 0; -EAGAIN (VMM BUSY); -ENOSPC with *npages the host's page count (ext, VMM INVALID_LEN);
 * -EIO otherwise. *exitinfo2 is SEV_RET_NO_FW_CALL unless the host answered.
 */
int shim_snp_issue(bool ext, const void *req, void *resp, void *certs, unsigned int *npages,
		   u64 *exitinfo2);
#endif
