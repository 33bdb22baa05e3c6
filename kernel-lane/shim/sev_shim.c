// SPDX-License-Identifier: GPL-2.0
/*
 * sev_shim.c - the SEV-SNP platform for sev-guest.c of 6.x, with the PSP and the hypervisor
 * replaced by the firmware model behind teeabi_fw (kernel-lane/DESIGN.md). The driver's own
 * code encrypts and decrypts the guest messages with the VMPCK of the secrets page; the
 * firmware daemon holds the same VMPCKs and checks and answers the message as the PSP does.
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/sev.h>
#include <asm/svm.h>
#include "sev_common.h"

void __iomem *teeabi_shim_ioremap_encrypted(resource_size_t phys_addr, unsigned long size);
void teeabi_shim_iounmap(volatile void __iomem *addr);
int teeabi_shim_snp_issue_guest_request(u64 exit_code, struct snp_req_data *input,
					struct snp_guest_request_ioctl *rio);

static void *secrets;

/* The secrets page at the platform data's GPA: the firmware's. */
void __iomem *teeabi_shim_ioremap_encrypted(resource_size_t phys_addr, unsigned long size)
{
	if (phys_addr != SHIM_SECRETS_GPA || size != PAGE_SIZE)
		return NULL;
	if (!secrets)
		secrets = shim_snp_secrets();
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
	return shim_snp_issue(exit_code == SVM_VMGEXIT_EXT_GUEST_REQUEST, __va(input->req_gpa),
			      __va(input->resp_gpa), __va(input->data_gpa), &input->data_npages,
			      &rio->exitinfo2);
}
