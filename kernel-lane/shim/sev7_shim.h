/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev7_shim.h - included (-include) before the kernel's unmodified sev-guest.c of 7.x, where
 * the message layer (secrets page, VMPCK, AES-GCM, sequence numbers, GHCB request) moved
 * to arch/x86/coco/sev/core.c: snp_msg_alloc/init/free() and snp_send_guest_request()
 * become the kernel lane's (sev7_shim.c), the SNP gate and platform device sev_gate.h's.
 */
#include "sev_gate.h"
#define snp_msg_alloc teeabi_shim_snp_msg_alloc
#define snp_msg_init teeabi_shim_snp_msg_init
#define snp_msg_free teeabi_shim_snp_msg_free
#define snp_send_guest_request teeabi_shim_snp_send_guest_request
