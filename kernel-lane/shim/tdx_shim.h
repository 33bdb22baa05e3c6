/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdx_shim.h - included (-include) before the kernel's unmodified tdx-guest.c: the calls
 * that reach the TDX module or the VMM, and the CPU-feature gate of module init, become
 * calls of the kernel lane's shim (tdx_shim.c), which asks the firmware model.
 * The declarations in <asm/tdx.h> and <asm/cpu_device_id.h> are renamed the same way, so
 * the driver compiles against the shim's prototypes with the kernel's signatures.
 */
#define tdx_mcall_get_report0 teeabi_shim_tdx_mcall_get_report0
#define tdx_mcall_extend_rtmr teeabi_shim_tdx_mcall_extend_rtmr
#define tdx_hcall_get_quote teeabi_shim_tdx_hcall_get_quote
#include <linux/types.h>
int teeabi_shim_tdx_mcall_extend_rtmr(u8 index, u8 *data); /* declared by <asm/tdx.h> only from 6.16 */
#define x86_match_cpu teeabi_shim_x86_match_cpu
