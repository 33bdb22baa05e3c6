/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/inonly.h - the canary rule on ioctl inputs (issue 17 rule 3; blind audit
 * round 5, #157): the bytes of an ioctl argument that the ABI makes input-only must hold,
 * after the call, exactly what the caller put there, whatever the call returned.
 *
 * Which bytes are input-only, from the drivers' own copies (6.12 source, and dstack's
 * mod-tdx-guest/mod.c for the dstack module):
 *  - /dev/tdx_guest GET_REPORT0: reportdata (the first 64 bytes); tdx_get_report0()
 *    copy_to_user()s only req->tdreport (drivers/virt/coco/tdx-guest/tdx-guest.c);
 *  - /dev/tdx_guest EXTEND_RTMR, _IOR and _IOW alike: the whole 49-byte request;
 *    tdx_extend_rtmr() (dstack mod.c) only copy_from_user()s it, the _IOR direction bit
 *    notwithstanding;
 *  - /dev/tdx_guest, any command the driver does not know (upstream and dstack module):
 *    the whole _IOC_SIZE argument; tdx_guest_ioctl()'s default returns -ENOTTY untouched;
 *  - /dev/sev-guest, every command: the header's msg_version, req_data and resp_data (bytes
 *    0..23, padding included); snp_guest_ioctl() (drivers/virt/coco/sev-guest/sev-guest.c)
 *    copies back, when it does, the very struct it copied in, with only exitinfo2 changed;
 *  - /dev/sev-guest, the request behind req_data: all of it for GET_REPORT (96 bytes) and
 *    GET_DERIVED_KEY (32); for GET_EXT_REPORT (112) all but certs_len, which get_ext_report()
 *    rewrites (and copies back with the rest, unchanged) only when the host answered
 *    vmm_error INVALID_LEN.
 * Bytes that cannot be read (a NULL, unmapped or PROT_NONE pointer in an EFAULT test) are
 * not checked: the snapshot is taken with process_vm_readv() on the test's own pid.
 */
#ifndef TEEABI_SUITES_INONLY_H
#define TEEABI_SUITES_INONLY_H

#include <stddef.h>
#include <stdint.h>

struct teeabi_snp_guest_request_ioctl;

/* One input-only span of an ioctl's argument. */
struct u_in_span {
	uintptr_t addr;
	size_t len;
	const char *name;
};

/* ioctl(fd, cmd, arg), then every readable span compared byte for byte with its value before
 * the call: a changed span is one FAIL naming `what`, the span, the first changed offset and
 * both values. Returns ioctl()'s result with its errno. */
int u_ioctl_in(int fd, unsigned long cmd, void *arg, const struct u_in_span *in, size_t n, const char *what);
/* ioctl on /dev/tdx_guest with the input-only spans of cmd (above). */
int u_tdx_ioctl(int fd, unsigned long cmd, void *arg);
/* ioctl on /dev/sev-guest with the header's and the request's input-only spans (above). */
int u_sev_ioctl(int fd, unsigned long cmd, struct teeabi_snp_guest_request_ioctl *h);

#endif
