/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h - in-process device models of the confidential-guest kernel interfaces.
 *
 * One `struct tm_dev` is one emulated guest ("machine"): its TDX module state (MRs,
 * RTMRs), its SNP firmware state (VMPCK, seqno, simulated clock), its configfs-tsm tree,
 * its test PKI and its injected faults. The behaviour follows docs/kernel-abi.md ("What a
 * faithful mock must do") for the kernel and driver flavour named by the profile.
 * Pure C, no I/O besides OpenSSL; thread-safe (one mutex per machine; report generation
 * is serialised across entries like the kernel's tsm_rwsem).
 *
 * Errors are returned as negative errno values, exactly as the kernel returns them.
 */
#ifndef TEEABI_MODEL_H
#define TEEABI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>
#include "teeabi/abi.h"
#include "teeabi/profile.h"

/* ---------------------------------------------------------------- faults */
enum tm_fault {
#define F(id, name, area) TM_FAULT_##id,
#include "faults.def"
#undef F
	TM_FAULT_COUNT
};
/* A set of faults: bit f of word f/64 for fault f. The width follows faults.def (one 64-bit
 * word per 64 faults, counted by the compiler), so adding a fault never runs out of bits: a
 * u64 held 62, an __int128 held 128 and was at 103 when it became this. Build a set only with
 * TM_NO_FAULTS, TM_FAULT_BIT, TM_FAULT_IF and tm_fault_add; test it with tm_fault_in (or
 * tm_has_fault on a machine). */
#define TM_FAULT_WORDS ((TM_FAULT_COUNT + 63) / 64)
typedef struct { uint64_t w[TM_FAULT_WORDS]; } tm_fault_mask;
#define TM_NO_FAULTS ((tm_fault_mask){ { 0 } })
/* f outside 0..TM_FAULT_COUNT-1 gives the empty set (tm_fault_lookup's -1 included). */
static inline void tm_fault_add(tm_fault_mask *m, int f)
{
	if (f >= 0 && f < TM_FAULT_COUNT)
		m->w[f / 64] |= (uint64_t)1 << (f % 64);
}
static inline tm_fault_mask tm_fault_one(int f)
{
	tm_fault_mask m = TM_NO_FAULTS;
	tm_fault_add(&m, f);
	return m;
}
static inline bool tm_fault_in(const tm_fault_mask *m, int f)
{
	return f >= 0 && f < TM_FAULT_COUNT && ((m->w[f / 64] >> (f % 64)) & 1) != 0;
}
#define TM_FAULT_BIT(f) tm_fault_one(f)
/* The set {f} when cond holds, else the empty set: the unit tests' "with and without". */
#define TM_FAULT_IF(cond, f) ((cond) ? tm_fault_one(f) : TM_NO_FAULTS)
const char *tm_fault_name(enum tm_fault f);
const char *tm_fault_area(enum tm_fault f);
int tm_fault_lookup(const char *name); /* enum value or -1 */

/* ---------------------------------------------------------------- user memory */
/* How a model reaches "user" memory behind the pointers of an ioctl argument.
 * Both return 0 or -EFAULT. mockfs implements them with process_vm_readv/writev on the
 * calling pid; in-process callers use tm_local_ua below. */
struct tm_uaccess {
	int (*read)(void *ctx, uint64_t uaddr, void *dst, size_t len);
	int (*write)(void *ctx, uint64_t uaddr, const void *src, size_t len);
	void *ctx;
};
/* In-process accessor: addresses are real pointers, valid only inside registered ranges
 * (anything else, NULL included, is -EFAULT). Used by unit tests and fuzz targets. */
#define TM_LOCAL_UA_MAX 16
struct tm_local_ua {
	struct { uintptr_t base; size_t len; } r[TM_LOCAL_UA_MAX];
	int n;
	struct tm_uaccess ua;
};
void tm_local_ua_init(struct tm_local_ua *l);
void tm_local_ua_add(struct tm_local_ua *l, const void *p, size_t len);

/* ---------------------------------------------------------------- machine */
struct tm_dev;
/* faults: mask of TM_FAULT_BIT(). Returns NULL on allocation/PKI failure. */
struct tm_dev *tm_new(const struct teeabi_profile *p, tm_fault_mask faults);
void tm_free(struct tm_dev *d);
/* "Reboot": RTMRs to their boot values, VMPCK restored, configfs entries removed
 * (and the profile's pre-created entry re-made), simulated clock reset. */
void tm_reset(struct tm_dev *d);
/* Fuzz harnesses only (mockfs never turns it on): the machine signs its evidence with a
 * cheap stand-in instead of ECDSA, so the targets that drive the ioctls and configfs run at
 * fuzzing speed; the real signatures are checked by the unit tests, the suites and the fuzz
 * target fuzz_sign. For a message m and n-byte scalars (48 for SNP's P-384, 32 for TDX's
 * P-256): s = a nonce new for every signature (a counter, so two reports of the same
 * request differ, as two ECDSA signatures do: a report made again instead of served from a
 * cache shows), r = H(m || s), H = SHA-384 or SHA-256; stored where and as the real r and s
 * would be (SNP: the 48 bytes at the start of each 72-byte field, the rest zero; TDX:
 * r || s). tm_fast_sign_check recomputes r. Off by default. */
void tm_set_fast_sign(struct tm_dev *d, bool on);
bool tm_fast_sign_on(const struct tm_dev *d);
int tm_fast_sign(const uint8_t *msg, size_t len, size_t n, uint8_t *r, uint8_t *s); /* 0 or -EIO */
/* Does (r, s) hold the stand-in signature of msg? */
bool tm_fast_sign_check(const uint8_t *msg, size_t len, size_t n, const uint8_t *r, const uint8_t *s);
const struct teeabi_profile *tm_profile(const struct tm_dev *d);
bool tm_has_fault(const struct tm_dev *d, enum tm_fault f);

/* ---------------------------------------------------------------- /dev/tdx_guest */
/* The ioctl handler of the profile's flavour (upstream, dstack module, Intel legacy).
 * arg is the user pointer; the model copies in/out through ua. Returns 0 or -errno. */
long tm_tdx_ioctl(struct tm_dev *d, unsigned int cmd, uint64_t arg, const struct tm_uaccess *ua);
/* TDG.MR.REPORT subtype 0: a TDREPORT for reportdata with the current MRs/RTMRs and
 * correct TEE_TCB_INFO_HASH / TEE_INFO_HASH. */
int tm_tdx_tdreport(struct tm_dev *d, const uint8_t reportdata[64], uint8_t out[1024]);
/* Make the next n GET_REPORT0 ioctls see TDG.MR.REPORT fail with the raw TDCALL status
 * (RAX; its return code is status >> 32): the ioctl then returns the profile's errno for it
 * (EINVAL/EIO before 6.16, ENXIO/EBUSY/EIO from 6.16). status 0 stands for a signal
 * while waiting for the shared TDREPORT buffer's mutex: EINTR on 6.16+, nothing before. */
#define TM_TDCALL_INVALID_OPERAND 0xC0000100ULL /* TDCALL_RETURN_CODE() values */
#define TM_TDCALL_OPERAND_BUSY    0x80000200ULL
void tm_tdx_inject_tdcall(struct tm_dev *d, uint64_t status, unsigned n);
/* TDG.MR.RTMR.EXTEND: rtmr[idx] = SHA384(rtmr[idx] || data). Returns 0 or -EINVAL. */
int tm_tdx_rtmr_extend(struct tm_dev *d, unsigned idx, const uint8_t data[48]);
void tm_tdx_rtmr_get(struct tm_dev *d, unsigned idx, uint8_t out[48]);
/* The boot event log of RTMR0..2 (what the CCEL would hold): TM_TDX_BOOT_EVENTS digests per
 * register, derived from the profile; replaying them from zero gives the boot RTMRs. */
#define TM_TDX_BOOT_EVENTS 3
void tm_tdx_boot_digest(struct tm_dev *d, unsigned rtmr, unsigned j, uint8_t out[48]);
/* A signed DCAP quote (v4 TD10 body, cert data type 6 with a QE report bound to the
 * attestation key and a PEM PCK chain, type 5) for a TDREPORT. *out is malloc'd. */
int tm_tdx_quote(struct tm_dev *d, const uint8_t tdreport[1024], uint8_t **out, size_t *len);
/* DCAP collateral for the machine's quotes, as Intel PCS serves it (TEST PKI): the TCB
 * Info v3 object (id TDX) and the QE Identity v2 object (id TD_QE) as JSON text, each with
 * its signature by the test TCB signing key over exactly that text (r||s, hex), their
 * issuer chain (TCB signing + root, PEM), the PCK CRL's issuer chain (Platform CA + root),
 * root CA and PCK CRLs (DER), valid around now. */
struct tm_tdx_collateral {
	char *tcb_info, *tcb_info_sig, *qe_identity, *qe_identity_sig, *tcb_issuer_chain, *pck_crl_issuer_chain;
	uint8_t *root_ca_crl, *pck_crl;
	size_t root_ca_crl_len, pck_crl_len;
};
int tm_tdx_collateral(struct tm_dev *d, time_t now, struct tm_tdx_collateral *c);
void tm_tdx_collateral_free(struct tm_tdx_collateral *c);

/* ---------------------------------------------------------------- measurements (tsm-mr) */
int tm_mr_count(struct tm_dev *d);                 /* 8 when the profile has tsm_mr, else 0 */
const char *tm_mr_name(struct tm_dev *d, int i);   /* "mrtd:sha384", "rtmr0:sha384", ... */
unsigned tm_mr_mode(struct tm_dev *d, int i);      /* 0444 or 0644 */
int tm_mr_lookup(struct tm_dev *d, const char *name); /* index or -ENOENT */
ssize_t tm_mr_read(struct tm_dev *d, int i, void *buf, size_t len, off_t off);
ssize_t tm_mr_write(struct tm_dev *d, int i, const void *buf, size_t len, off_t off);

/* ---------------------------------------------------------------- /dev/sev-guest */
long tm_sev_ioctl(struct tm_dev *d, unsigned int cmd, uint64_t arg, const struct tm_uaccess *ua);
/* Firmware MSG_REPORT_REQ: fills a 4000-byte response (MSG_REPORT_RSP + signed report).
 * Returns the firmware status (0, 0x16 for a bad vmpl). */
uint32_t tm_sev_report(struct tm_dev *d, const uint8_t user_data[64], uint32_t vmpl, uint8_t resp[4000]);
/* The host's certificate blob (GUID table + VCEK, ASK, ARK DER). Owned by the machine. */
const uint8_t *tm_sev_certs(struct tm_dev *d, size_t *len);
/* Make the next n guest requests see host BUSY (vmm_error 2); simulated clock, no sleep. */
void tm_sev_set_host_busy(struct tm_dev *d, unsigned n);
/* Make the next guest request fail in firmware (e.g. unsupported msg_version) -> EIO, VMPCK wiped. */
void tm_sev_set_fw_error(struct tm_dev *d, uint32_t fw_error);
bool tm_sev_vmpck_disabled(struct tm_dev *d);
/* /sys/devices/system/cpu/sev/vmpl (arch/x86/coco/sev: vmpl_show() prints "%d\n" of the
 * running VMPL; the directory exists on SEV-SNP guests from 6.11, profile sev_sysfs_vmpl).
 * tm_sev_sysfs_present() says whether it is there; tm_sev_sysfs_vmpl_read() reads it like
 * sysfs (from off, at most len bytes), or returns -ENOENT. */
bool tm_sev_sysfs_present(struct tm_dev *d);
ssize_t tm_sev_sysfs_vmpl_read(struct tm_dev *d, void *buf, size_t len, off_t off);
/* The PSP's side of one decrypted guest message (kernel lane firmware, kernel-lane/fwd):
 * MSG_REPORT_REQ (type 5) or MSG_KEY_REQ (type 3) of message version 1 into resp (cap
 * bytes, at least 4000 for a report). *resp_len is the response payload's size (0x4C0 report,
 * 0x40 key); *fw_status is the firmware's out-of-band status (0, or 0x16 for an unknown
 * type or version, as the ioctl path's send_request answers). Returns 0 or -EIO. */
int tm_sev_fw_message(struct tm_dev *d, uint8_t type, uint8_t version, const uint8_t *req, size_t req_len,
		      uint8_t *resp, size_t cap, size_t *resp_len, uint32_t *fw_status);
/* The DER of the VCEK certificate that verifies the reports. */
const uint8_t *tm_sev_vcek_der(struct tm_dev *d, size_t *len);

/* ---------------------------------------------------------------- configfs-tsm report */
#define TM_TSM_NAME_MAX 255
struct tm_tsm_fh;
bool tm_tsm_root_exists(struct tm_dev *d);
int tm_tsm_mkdir(struct tm_dev *d, const char *name);   /* -ENXIO no provider, -EEXIST */
int tm_tsm_rmdir(struct tm_dev *d, const char *name);   /* -ENOENT */
/* Entry names; returns the count (may exceed max; only max are written). */
int tm_tsm_list(struct tm_dev *d, char (*names)[TM_TSM_NAME_MAX + 1], int max);
bool tm_tsm_entry_exists(struct tm_dev *d, const char *name);
/* Entries the model holds in memory: live ones plus removed ones still held by an open fd
 * (what a churn of mkdir/rmdir must bring back to the live count). */
int tm_tsm_entry_count(struct tm_dev *d);
/* Attributes of an entry as the kernel shows them (provider and kernel version decide; on
 * sev_guest from 6.11 the SVSM set appears when the guest runs above VMPL0, tsm_svsm). */
int tm_tsm_attr_count(struct tm_dev *d);
const char *tm_tsm_attr_name(struct tm_dev *d, int i);
unsigned tm_tsm_attr_mode(struct tm_dev *d, int i);    /* 0444 / 0200 */
bool tm_tsm_attr_is_bin(struct tm_dev *d, int i);
int tm_tsm_attr_lookup(struct tm_dev *d, const char *attr); /* index or -ENOENT */
/* VFS-like file operations with configfs semantics (docs/kernel-abi.md §3.2-3.3, §2.6 for
 * the SVSM attributes and the SVSM's report, manifest and certificates, svsm.c):
 * open checks the mode (-EACCES) and existence (-ENOENT); binary writes accumulate per
 * open file and are committed at release; the first read of a blob generates or serves
 * the cached report and later reads use the fd's private copy. */
int tm_tsm_open(struct tm_dev *d, const char *entry, const char *attr, int flags, struct tm_tsm_fh **out);
ssize_t tm_tsm_read(struct tm_tsm_fh *fh, void *buf, size_t len, off_t off);
ssize_t tm_tsm_write(struct tm_tsm_fh *fh, const void *buf, size_t len, off_t off);
int tm_tsm_release(struct tm_tsm_fh *fh); /* returns 0; errors of the close-time store are dropped like configfs */
/* For invariant checks (fuzzing): the entry's current write generation, or -ENOENT. */
long tm_tsm_generation(struct tm_dev *d, const char *entry);

#endif
