/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tsm_mr.c - the TDX measurement register files of v6.16+ (docs/kernel-abi.md §1.4):
 *   /sys/devices/virtual/misc/tdx_guest/measurements/
 *     mrtd:sha384 (0444), mrconfigid, mrowner, mrownerconfig (0444, no hash suffix),
 *     rtmr0:sha384 .. rtmr3:sha384 (0644)
 * 48-byte binary attributes with sysfs bin-file clamping. Values come from the kernel's
 * TDREPORT buffer (kept in tdx_guest.c); an RTMR read refreshes it while it is not in
 * sync (at first use and after any extend); a write of exactly 48 bytes at offset 0
 * extends the RTMR with TDG.MR.RTMR.EXTEND.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"
#include "teeabi/tdx.h"

/* Implemented in tdx_guest.c; the lock is held. */
int tm_tdx_extend_locked(struct tm_dev *d, unsigned idx, const uint8_t data[48]);
const uint8_t *tm_tdx_kbuf_locked(struct tm_dev *d);
bool *tm_tdx_mr_in_sync_locked(struct tm_dev *d);

#define MR_COUNT 8
#define MR_SIZE  48

static const struct {
	const char *name, *bare; /* bare: the name without ":sha384" (mr-name-no-hash-suffix) */
	unsigned off;            /* offset in the TDREPORT */
	int rtmr;                /* RTMR index, -1 for the read-only registers */
} mrs[MR_COUNT] = {
	{ "mrtd:sha384", "mrtd", TDREPORT_OFF_MRTD, -1 },
	{ "mrconfigid", "mrconfigid", TDREPORT_OFF_MRCONFIGID, -1 },
	{ "mrowner", "mrowner", TDREPORT_OFF_MROWNER, -1 },
	{ "mrownerconfig", "mrownerconfig", TDREPORT_OFF_MROWNERCONFIG, -1 },
	{ "rtmr0:sha384", "rtmr0", TDREPORT_OFF_RTMR0 + 0 * 48, 0 },
	{ "rtmr1:sha384", "rtmr1", TDREPORT_OFF_RTMR0 + 1 * 48, 1 },
	{ "rtmr2:sha384", "rtmr2", TDREPORT_OFF_RTMR0 + 2 * 48, 2 },
	{ "rtmr3:sha384", "rtmr3", TDREPORT_OFF_RTMR0 + 3 * 48, 3 },
};

int tm_mr_count(struct tm_dev *d)
{
	if (!d->prof.tsm_mr || TM_FAULT(d, MATRIX_NO_MEASUREMENTS))
		return 0;
	return MR_COUNT;
}

static bool valid(struct tm_dev *d, int i)
{
	return i >= 0 && i < tm_mr_count(d);
}

const char *tm_mr_name(struct tm_dev *d, int i)
{
	if (!valid(d, i))
		return NULL;
	if (mrs[i].rtmr >= 0 && TM_FAULT(d, MR_NAME_NO_HASH_SUFFIX))
		return mrs[i].bare;
	return mrs[i].name;
}

unsigned tm_mr_mode(struct tm_dev *d, int i)
{
	if (!valid(d, i))
		return 0;
	if (TM_FAULT(d, MR_MODE_WRONG)) {
		if (mrs[i].rtmr >= 0)
			return 0444;
		if (i == 0) /* mrtd:sha384 */
			return 0644;
	}
	return mrs[i].rtmr >= 0 ? 0644 : 0444;
}

int tm_mr_lookup(struct tm_dev *d, const char *name)
{
	if (!name)
		return -ENOENT;
	for (int i = 0; i < tm_mr_count(d); i++)
		if (!strcmp(tm_mr_name(d, i), name))
			return i;
	return -ENOENT;
}

ssize_t tm_mr_read(struct tm_dev *d, int i, void *buf, size_t len, off_t off)
{
	if (!valid(d, i))
		return -ENOENT;
	if (off < 0)
		return -EINVAL;
	if (off >= MR_SIZE || len == 0)
		return 0; /* sysfs bin read: past the end is EOF */
	size_t n = (size_t)(MR_SIZE - off);
	if (len < n)
		n = len;
	if (!buf)
		return -EFAULT;
	TM_LOCK(d);
	bool *in_sync = tm_tdx_mr_in_sync_locked(d);
	const uint8_t *kbuf = tm_tdx_kbuf_locked(d);
	if (!in_sync || !kbuf) {
		TM_UNLOCK(d);
		return -ENODEV;
	}
	/* mr-refresh-rtmr3-only: the refresh is hooked to the runtime register's file alone */
	/* mr-refresh-only-at-offset-zero: the refresh runs for a read from the first byte only */
	if (mrs[i].rtmr >= 0 && !*in_sync && (!TM_FAULT(d, MR_REFRESH_RTMR3_ONLY) || mrs[i].rtmr == 3) &&
	    (!TM_FAULT(d, MR_REFRESH_ONLY_AT_OFFSET_ZERO) || off == 0)) {
		/* LIVE register: refresh the kernel buffer with a new TDREPORT */
		uint8_t zero[64] = { 0 }, rep[1024];
		if (tm_tdx_tdreport_locked(d, zero, rep)) {
			TM_UNLOCK(d);
			return -EIO;
		}
		*in_sync = true;
	}
	/* the fault: the value from its first byte whatever the file position */
	memcpy(buf, kbuf + mrs[i].off + (TM_FAULT(d, MR_READ_IGNORES_OFFSET) ? 0 : (size_t)off), n);
	TM_UNLOCK(d);
	return (ssize_t)n;
}

ssize_t tm_mr_write(struct tm_dev *d, int i, const void *buf, size_t len, off_t off)
{
	if (!valid(d, i))
		return -ENOENT;
	/* sysfs refuses writes to files without a write permission bit */
	if (!(tm_mr_mode(d, i) & 0200))
		return -EACCES;
	if (off < 0)
		return -EINVAL;
	/* sysfs bin write: pos at or past the size -> EFBIG, count clamped to the size */
	if (off >= MR_SIZE)
		return TM_FAULT(d, MR_WRITE_PAST_END_EINVAL) ? -EINVAL : -EFBIG;
	size_t n = (size_t)(MR_SIZE - off);
	if (len < n)
		n = len;
	if (n == 0)
		return 0;
	if (mrs[i].rtmr < 0)
		return -EINVAL; /* only reachable with mr-mode-wrong: the register is not extendable */
	if (mrs[i].rtmr < 2 && TM_FAULT(d, MR_RTMR01_WRITE_REFUSED))
		return -EINVAL; /* a downstream-style index policy */
	uint8_t data[MR_SIZE] = { 0 };
	/* mr-49-byte-write-rejected: the count is checked before sysfs clamps it */
	if (off != 0 || n != MR_SIZE || (TM_FAULT(d, MR_49_BYTE_WRITE_REJECTED) && len != MR_SIZE)) {
		if (!(TM_FAULT(d, MR_WRONG_SIZE_ACCEPTED) && off == 0))
			return -EINVAL;
		/* the fault: a short write is zero-padded and extended */
	}
	if (!buf)
		return -EFAULT;
	memcpy(data, buf, n);
	TM_LOCK(d);
	bool *in_sync = tm_tdx_mr_in_sync_locked(d);
	int rc = in_sync ? tm_tdx_extend_locked(d, (unsigned)mrs[i].rtmr, data) : -ENODEV;
	if (!rc && !TM_FAULT(d, MR_STALE_AFTER_EXTEND))
		*in_sync = false;
	TM_UNLOCK(d);
	if (rc)
		return rc == -EINVAL ? -ENXIO : rc;
	return (ssize_t)n;
}
