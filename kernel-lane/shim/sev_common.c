// SPDX-License-Identifier: GPL-2.0
/*
 * sev_common.c - the parts of the SEV-SNP platform both forms of sev-guest.c need, with the
 * PSP and the hypervisor replaced by the firmware model behind teeabi_fw
 * (kernel-lane/DESIGN.md): the SNP gate, the platform device, the secrets page, and the
 * guest request with the errno mapping of arch/x86/coco/sev/core.c snp_issue_guest_request().
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <uapi/linux/psp-sev.h>
#include <asm/sev.h>
#include "sev_common.h"
#include "teeabi_fw.h"
#include "teeabi_fw_call.h"

#define SHIM_MSG_LEN PAGE_SIZE

static struct platform_device *sev_pdev;
static u8 *xfer;          /* response page + certificate pages of one request */
static DEFINE_MUTEX(xfer_lock);

bool teeabi_shim_cc_platform_has(enum cc_attr attr)
{
	if (attr == CC_ATTR_GUEST_SEV_SNP)
		return true;
	return cc_platform_has(attr);
}

void *shim_snp_secrets(void)
{
	void *page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	u32 len = 0;
	s32 st = 0;

	if (!page)
		return NULL;
	if (teeabi_fw_call(TEEABI_FW_SNP_SECRETS, 0, NULL, 0, page, PAGE_SIZE, &len, NULL, &st) ||
	    st || len != PAGE_SIZE) {
		kfree(page);
		return NULL;
	}
	return page;
}

int shim_snp_issue(bool ext, const void *req, void *resp, void *certs, unsigned int *npages,
		   u64 *exitinfo2)
{
	u32 pages = ext ? *npages : 0;
	u32 cap = SHIM_MSG_LEN + pages * PAGE_SIZE;
	u64 ei2 = 0;
	u32 len = 0;
	s32 want = 0;
	int ret;

	*exitinfo2 = SEV_RET_NO_FW_CALL;
	if (cap > TEEABI_FW_MAX_PAYLOAD || !xfer)
		return -EIO;
	mutex_lock(&xfer_lock);
	ret = teeabi_fw_call(TEEABI_FW_SNP_MSG, (u64)pages << 32 | (ext ? 1 : 0), req, SHIM_MSG_LEN,
			     xfer, cap, &len, &ei2, &want);
	if (ret) {
		mutex_unlock(&xfer_lock);
		return -EIO;   /* no hypervisor answer: what a failed GHCB call gives */
	}
	if (len >= SHIM_MSG_LEN) {
		memcpy(resp, xfer, SHIM_MSG_LEN);
		if (ext && certs && len > SHIM_MSG_LEN)
			memcpy(certs, xfer + SHIM_MSG_LEN, len - SHIM_MSG_LEN);
	}
	mutex_unlock(&xfer_lock);

	*exitinfo2 = ei2;
	switch (ei2) {
	case 0:
		return 0;
	case SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_BUSY):
		return -EAGAIN;
	case SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_INVALID_LEN):
		if (ext) {
			*npages = want;
			return -ENOSPC;
		}
		fallthrough;
	default:
		return -EIO;
	}
}

/* arch/x86/coco/sev registers the "sev-guest" device (6.x: with the secrets page GPA as
 * platform data) on an SNP guest before the driver's probe; the lane does it right before. */
int teeabi_shim_platform_driver_probe(struct platform_driver *drv,
				      int (*probe)(struct platform_device *))
{
#ifdef TEEABI_SEV_PDATA
	struct sev_guest_platform_data data = { .secrets_gpa = SHIM_SECRETS_GPA };
	const void *pdata = &data;
	size_t pdata_len = sizeof(data);
#else
	const void *pdata = NULL;
	size_t pdata_len = 0;
#endif
	int ret;

	xfer = kvzalloc(TEEABI_FW_MAX_PAYLOAD, GFP_KERNEL);
	if (!xfer)
		return -ENOMEM;
	sev_pdev = platform_device_register_data(NULL, "sev-guest", PLATFORM_DEVID_NONE,
						 pdata, pdata_len);
	if (IS_ERR(sev_pdev)) {
		kvfree(xfer);
		xfer = NULL;
		return PTR_ERR(sev_pdev);
	}
	ret = platform_driver_probe(drv, probe);
	if (ret) {
		platform_device_unregister(sev_pdev);
		kvfree(xfer);
		xfer = NULL;
	}
	return ret;
}

void teeabi_shim_platform_driver_unregister(struct platform_driver *drv)
{
	platform_driver_unregister(drv);
	platform_device_unregister(sev_pdev);
	kvfree(xfer);
	xfer = NULL;
}
