// SPDX-License-Identifier: GPL-2.0
/*
 * sev_shim.c - the SEV-SNP platform for sev-guest.c (6.x), with the PSP and the hypervisor
 * replaced by the firmware model behind teeabi_fw (kernel-lane/DESIGN.md). The driver's own
 * code encrypts and decrypts the guest messages with the VMPCK of the secrets page; the
 * firmware daemon holds the same VMPCK, checks and answers the encrypted message like the PSP.
 *
 * snp_issue_guest_request() maps the hypervisor's SW_EXITINFO2 to an errno exactly as
 * arch/x86/coco/sev/core.c snp_issue_guest_request() does: 0; VMM BUSY -EAGAIN; VMM
 * INVALID_LEN on an extended request -ENOSPC with the page count the host wants; anything
 * else -EIO. rio->exitinfo2 is SEV_RET_NO_FW_CALL until the host answered.
 */
#include <linux/cc_platform.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <uapi/linux/psp-sev.h>
#include <uapi/linux/sev-guest.h>
#include <asm/sev.h>
#include <asm/svm.h>
#include "teeabi_fw.h"
#include "teeabi_fw_call.h"

bool teeabi_shim_cc_platform_has(enum cc_attr attr);
void __iomem *teeabi_shim_ioremap_encrypted(resource_size_t phys_addr, unsigned long size);
void teeabi_shim_iounmap(volatile void __iomem *addr);
int teeabi_shim_snp_issue_guest_request(u64 exit_code, struct snp_req_data *input,
					struct snp_guest_request_ioctl *rio);
int teeabi_shim___platform_driver_probe(struct platform_driver *drv,
					int (*probe)(struct platform_device *), struct module *module);
void teeabi_shim_platform_driver_unregister(struct platform_driver *drv);

#define SHIM_MSG_LEN PAGE_SIZE
/* a non-zero "GPA" for the platform data; ioremap_encrypted() of it is the shim's page */
#define SHIM_SECRETS_GPA 0x5ec7e000UL

static void *secrets;
static struct platform_device *sev_pdev;
static u8 *xfer;          /* response page + certificate pages, for one request */
static DEFINE_MUTEX(xfer_lock);

bool teeabi_shim_cc_platform_has(enum cc_attr attr)
{
	if (attr == CC_ATTR_GUEST_SEV_SNP)
		return true;
	return cc_platform_has(attr);
}

/* The secrets page: the firmware's (VMPCK0-3 and the rest, as the PSP installs it). */
void __iomem *teeabi_shim_ioremap_encrypted(resource_size_t phys_addr, unsigned long size)
{
	u32 len = 0;
	s32 st = 0;

	if (phys_addr != SHIM_SECRETS_GPA || size != PAGE_SIZE)
		return NULL;
	if (!secrets) {
		secrets = kzalloc(PAGE_SIZE, GFP_KERNEL);
		if (!secrets)
			return NULL;
		if (teeabi_fw_call(TEEABI_FW_SNP_SECRETS, 0, NULL, 0, secrets, PAGE_SIZE, &len,
				   NULL, &st) || st || len != PAGE_SIZE) {
			kfree(secrets);
			secrets = NULL;
			return NULL;
		}
	}
	return (__force void __iomem *)secrets;
}

void teeabi_shim_iounmap(volatile void __iomem *addr)
{
	if ((__force void *)addr == secrets) {
		kfree(secrets);
		secrets = NULL;
		return;
	}
	iounmap(addr);
}

int teeabi_shim_snp_issue_guest_request(u64 exit_code, struct snp_req_data *input,
					struct snp_guest_request_ioctl *rio)
{
	bool ext = exit_code == SVM_VMGEXIT_EXT_GUEST_REQUEST;
	u32 npages = ext ? input->data_npages : 0;
	u32 cap = SHIM_MSG_LEN + npages * PAGE_SIZE;
	u64 exitinfo2 = 0;
	u32 len = 0;
	s32 want = 0;
	int ret;

	rio->exitinfo2 = SEV_RET_NO_FW_CALL;
	if (cap > TEEABI_FW_MAX_PAYLOAD)
		return -EIO;
	mutex_lock(&xfer_lock);
	ret = teeabi_fw_call(TEEABI_FW_SNP_MSG, (u64)npages << 32 | (ext ? 1 : 0),
			     __va(input->req_gpa), SHIM_MSG_LEN, xfer, cap, &len, &exitinfo2, &want);
	if (ret) {
		mutex_unlock(&xfer_lock);
		return -EIO;   /* no hypervisor answer: what a failed GHCB call gives */
	}
	if (len >= SHIM_MSG_LEN) {
		memcpy(__va(input->resp_gpa), xfer, SHIM_MSG_LEN);
		if (ext && len > SHIM_MSG_LEN)
			memcpy(__va(input->data_gpa), xfer + SHIM_MSG_LEN, len - SHIM_MSG_LEN);
	}
	mutex_unlock(&xfer_lock);

	rio->exitinfo2 = exitinfo2;
	switch (exitinfo2) {
	case 0:
		return 0;
	case SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_BUSY):
		return -EAGAIN;
	case SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_INVALID_LEN):
		if (ext) {
			input->data_npages = want;
			return -ENOSPC;
		}
		fallthrough;
	default:
		return -EIO;
	}
}

/* arch/x86/coco/sev registers the "sev-guest" device (with the secrets page GPA) on an SNP
 * guest before the driver's probe; the lane registers it here, right before. */
int teeabi_shim___platform_driver_probe(struct platform_driver *drv,
					int (*probe)(struct platform_device *), struct module *module)
{
	struct sev_guest_platform_data data = { .secrets_gpa = SHIM_SECRETS_GPA };
	int ret;

	xfer = kvzalloc(TEEABI_FW_MAX_PAYLOAD, GFP_KERNEL);
	if (!xfer)
		return -ENOMEM;
	sev_pdev = platform_device_register_data(NULL, "sev-guest", PLATFORM_DEVID_NONE,
						 &data, sizeof(data));
	if (IS_ERR(sev_pdev)) {
		kvfree(xfer);
		return PTR_ERR(sev_pdev);
	}
	ret = __platform_driver_probe(drv, probe, module);
	if (ret) {
		platform_device_unregister(sev_pdev);
		kvfree(xfer);
	}
	return ret;
}

void teeabi_shim_platform_driver_unregister(struct platform_driver *drv)
{
	platform_driver_unregister(drv);
	platform_device_unregister(sev_pdev);
	kvfree(xfer);
}
