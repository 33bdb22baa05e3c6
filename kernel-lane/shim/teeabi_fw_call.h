/* SPDX-License-Identifier: GPL-2.0 */
/* teeabi_fw_call.h - kernel side of the firmware channel (teeabi_fw.c). */
#ifndef TEEABI_FW_CALL_H
#define TEEABI_FW_CALL_H
#include <linux/types.h>
/* Send one request to the firmware daemon and wait for its answer. Returns 0 with
 * *status (the firmware's), *outlen and *val filled, or a channel error: -ENODEV no daemon,
 * -EIO the daemon closed, -ETIMEDOUT no answer in 60 s, -EMSGSIZE answer longer than outcap. */
int teeabi_fw_call(u32 op, u64 arg, const void *in, u32 inlen, void *out, u32 outcap,
		   u32 *outlen, u64 *val, s32 *status);
#endif
