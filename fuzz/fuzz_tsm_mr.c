/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_tsm_mr.c - the TDX measurement register files of v6.16+ (mocks/model/tsm_mr.c):
 * reads and writes at fuzzer-chosen offsets and sizes, interleaved with the other ways the
 * TD's registers change or are reported (GET_REPORT0 through the ioctl or the TDX module,
 * a TDX-module extend, the dstack module's EXTEND_RTMR ioctl), name lookups and resets.
 *
 * Properties (docs/kernel-abi.md §1.4, "What a faithful mock must do"):
 *   - 8 files on a profile with measurements, none otherwise; names exactly
 *     mrtd:sha384, mrconfigid, mrowner, mrownerconfig, rtmr0:sha384..rtmr3:sha384; RTMRs
 *     0644, the others 0444 (checked for each machine at start-up, and again whenever an
 *     input asks: names depend on the profile and the faults only);
 *   - read: 48-byte values, sysfs clamping (offset >= 48 or a zero count reads 0 bytes, a
 *     count past the end is cut), bytes equal the register;
 *   - write: read-only files EACCES; offset >= 48 EFBIG; otherwise the count is cut to
 *     48 - offset and only an exact 48 bytes at offset 0 extends (a longer write at 0 is
 *     cut to 48 and succeeds), anything else EINVAL; the kernel has no index policy;
 *   - every RTMR follows an independent SHA-384 chain (OpenSSL here) from the boot value
 *     the machine's first TDREPORT showed at start-up, which every reset must bring back;
 *     a read after any extend, by any path, shows the new value;
 *   - the registers always equal the TDREPORT's fields at their offsets.
 */
#include <errno.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/tdx.h"

/* Negative control: build with -DFZ_FAULTS='TM_FAULT_BIT(TM_FAULT_X)' and the properties
 * must trip on the injected kernel bugs. */
#ifndef FZ_FAULTS
#define FZ_FAULTS TM_NO_FAULTS
#endif

static const char *const profiles[] = {
	"name = fz-upstream-6.16-tdx\nplatform = tdx\nkernel = 6.16.0\n",
	"name = fz-upstream-7.0-tdx\nplatform = tdx\nkernel = 7.0.0\n",
	"name = fz-dstack-0.6.0-tdx\nplatform = tdx\nos_id = dstack\nos_version = 0.6.0\nkernel = 6.18.6-dstack\n"
	"tdx_guest = upstream\nconfigfs_tsm = 1\ntsm_provider = tdx_guest\ntsm_precreate = com.intel.dcap\ntsm_mr = 1\n",
	/* the dstack module's EXTEND_RTMR next to the measurement files */
	"name = fz-dstack-mod-mr\nplatform = tdx\nkernel = 6.16.0\ntdx_guest = dstack-mod\ntdx_extend_index_check = 1\n"
	"configfs_tsm = 0\ntsm_mr = 1\nrtmr_extend = sysfs\n",
	"name = fz-upstream-6.7-tdx\nplatform = tdx\nkernel = 6.7.0\n", /* no measurements directory */
};
#define NPROF (sizeof(profiles) / sizeof(profiles[0]))

static struct tm_dev *machines[NPROF];

static void setup_machine(unsigned m);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (unsigned i = 0; i < NPROF; i++) {
		struct teeabi_profile p;
		char err[256];
		FZ_CHECK(teeabi_profile_parse(profiles[i], &p, err, sizeof(err)) == 0, "profile %u: %s", i, err);
		machines[i] = tm_new(&p, FZ_FAULTS);
		FZ_CHECK(machines[i] != NULL, "tm_new(%s)", p.name);
		setup_machine(i);
	}
	return 0;
}

/* The files as kernel-abi.md §1.4 lists them, with the TDREPORT offset of each value. */
static const struct {
	const char *name;
	unsigned mode, off;
	int rtmr;
} files[8] = {
	{ "mrtd:sha384", 0444, TDREPORT_OFF_MRTD, -1 },
	{ "mrconfigid", 0444, TDREPORT_OFF_MRCONFIGID, -1 },
	{ "mrowner", 0444, TDREPORT_OFF_MROWNER, -1 },
	{ "mrownerconfig", 0444, TDREPORT_OFF_MROWNERCONFIG, -1 },
	{ "rtmr0:sha384", 0644, TDREPORT_OFF_RTMR0, 0 },
	{ "rtmr1:sha384", 0644, TDREPORT_OFF_RTMR0 + 48, 1 },
	{ "rtmr2:sha384", 0644, TDREPORT_OFF_RTMR0 + 96, 2 },
	{ "rtmr3:sha384", 0644, TDREPORT_OFF_RTMR0 + 144, 3 },
};

struct state {
	unsigned m; /* machines[m] */
	struct tm_dev *d;
	const struct teeabi_profile *p;
	int count;
	int idx[8];            /* model index of files[k], -1 when absent */
	uint8_t val[8][48];    /* expected value of files[k] */
};

static void sha384_cat(const uint8_t a[48], const uint8_t b[48], uint8_t out[48])
{
	uint8_t in[96];
	unsigned n = 0;
	memcpy(in, a, 48);
	memcpy(in + 48, b, 48);
	FZ_CHECK(EVP_Digest(in, sizeof(in), out, &n, EVP_sha384(), NULL) == 1 && n == 48, "EVP_Digest");
}

static void extend_shadow(struct state *S, int rtmr, const uint8_t data[48])
{
	sha384_cat(S->val[4 + rtmr], data, S->val[4 + rtmr]);
}

/* The registers equal a fresh TDREPORT's fields, and the TDX module's own RTMRs. */
static void check_against_report(struct state *S, const uint8_t rep[1024], const char *what)
{
	for (int k = 0; k < 8; k++)
		FZ_CHECK(memcmp(rep + files[k].off, S->val[k], 48) == 0, "%s: TDREPORT %s differs from the register",
			 what, files[k].name);
	for (unsigned i = 0; i < 4; i++) {
		uint8_t v[48];
		tm_tdx_rtmr_get(S->d, i, v);
		FZ_CHECK(memcmp(v, S->val[4 + i], 48) == 0, "%s: RTMR%u differs from the SHA-384 chain", what, i);
	}
}

/* Each machine's boot values, from its first TDREPORT (LLVMFuzzerInitialize): a reset must
 * bring them back, every time. */
static uint8_t boot_val[NPROF][8][48];

static void take_boot_values(unsigned m)
{
	uint8_t rd[64] = { 0 }, rep[1024];
	tm_reset(machines[m]);
	FZ_CHECK(tm_tdx_tdreport(machines[m], rd, rep) == 0, "tdreport");
	for (int k = 0; k < 8; k++)
		memcpy(boot_val[m][k], rep + files[k].off, 48);
	tm_reset(machines[m]);
}

static void boot(struct state *S)
{
	tm_reset(S->d);
	memcpy(S->val, boot_val[S->m], sizeof(S->val));
}

static void check_names(struct state *S)
{
	S->count = tm_mr_count(S->d);
	FZ_CHECK(S->count == (S->p->tsm_mr ? 8 : 0), "%d measurement files with tsm_mr %d", S->count, S->p->tsm_mr);
	for (int k = 0; k < 8; k++) {
		int i = tm_mr_lookup(S->d, files[k].name);
		if (!S->count) {
			FZ_CHECK(i == -ENOENT, "lookup %s without measurements = %d", files[k].name, i);
			S->idx[k] = -1;
			continue;
		}
		FZ_CHECK(i >= 0 && i < 8, "lookup %s = %d", files[k].name, i);
		FZ_CHECK(!strcmp(tm_mr_name(S->d, i), files[k].name), "name of %d is %s", i, tm_mr_name(S->d, i));
		FZ_CHECK(tm_mr_mode(S->d, i) == files[k].mode, "%s mode %o", files[k].name, tm_mr_mode(S->d, i));
		S->idx[k] = i;
	}
	static const char *const bad[] = { "rtmr0", "mrtd", "rtmr4:sha384", "mrconfigid:sha384", "", "RTMR0:sha384" };
	for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++)
		FZ_CHECK(tm_mr_lookup(S->d, bad[j]) == -ENOENT, "lookup '%s' found a file", bad[j]);
}

/* files[] position of model index i, or -1 */
static int file_of(struct state *S, int i)
{
	for (int k = 0; k < 8; k++)
		if (S->idx[k] == i && i >= 0)
			return k;
	return -1;
}

static off_t pick_off(struct fz *f)
{
	uint8_t o = fz_u8(f);
	switch (o & 3) {
	case 0: return 0;
	case 1: return o >> 2;           /* 0..63 */
	case 2: return 48 + (o >> 5);    /* at and past the end */
	default: return (off_t)(int64_t)fz_u64(f);
	}
}

/* Each machine's file indexes, from the start-up check of its names. */
static int names_idx[NPROF][8], names_count[NPROF];

static void setup_machine(unsigned m)
{
	take_boot_values(m);
	struct state S = { .m = m, .d = machines[m], .p = tm_profile(machines[m]) };
	check_names(&S);
	memcpy(names_idx[m], S.idx, sizeof(S.idx));
	names_count[m] = S.count;
}

static size_t pick_len(struct fz *f)
{
	static const size_t lens[] = { 0, 1, 16, 47, 48, 49, 64, 96, 4096 };
	uint8_t l = fz_u8(f);
	return l < 0xF0 ? lens[l % 9] : fz_u16(f) % 5000;
}

static void op_read(struct state *S, struct fz *f)
{
	int i = (int)(fz_u8(f) % 10) - 1; /* -1 and 8 are out of range */
	off_t off = pick_off(f);
	size_t len = pick_len(f);
	uint8_t *buf = malloc(len ? len : 1);
	FZ_CHECK(buf != NULL, "malloc");
	ssize_t rc = tm_mr_read(S->d, i, buf, len, off);
	int k = file_of(S, i);
	ssize_t want;
	if (k < 0)
		want = -ENOENT;
	else if (off < 0)
		want = -EINVAL;
	else if (off >= 48 || !len)
		want = 0;
	else
		want = (ssize_t)(len < (size_t)(48 - off) ? len : (size_t)(48 - off));
	FZ_CHECK(rc == want, "read %d off %lld len %zu = %zd, want %zd", i, (long long)off, len, rc, want);
	if (rc > 0)
		FZ_CHECK(!memcmp(buf, S->val[k] + off, (size_t)rc), "read %s at %lld: bytes differ from the register",
			 files[k].name, (long long)off);
	free(buf);
}

static void op_write(struct state *S, struct fz *f)
{
	int i = (int)(fz_u8(f) % 10) - 1;
	off_t off = pick_off(f);
	size_t len = pick_len(f);
	uint8_t *buf = malloc(len ? len : 1);
	FZ_CHECK(buf != NULL, "malloc");
	fz_bytes(f, buf, len);
	ssize_t rc = tm_mr_write(S->d, i, buf, len, off);
	int k = file_of(S, i);
	ssize_t want;
	if (k < 0) {
		want = -ENOENT;
	} else if (!(files[k].mode & 0200)) {
		want = -EACCES;
	} else if (off < 0) {
		want = -EINVAL;
	} else if (off >= 48) {
		want = -EFBIG;
	} else {
		size_t n = len < (size_t)(48 - off) ? len : (size_t)(48 - off);
		if (!n)
			want = 0;
		else if (off != 0 || n != 48)
			want = -EINVAL;
		else
			want = 48;
	}
	FZ_CHECK(rc == want, "write %d off %lld len %zu = %zd, want %zd", i, (long long)off, len, rc, want);
	if (rc == 48)
		extend_shadow(S, files[k].rtmr, buf);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct state S;
	memset(&S, 0, sizeof(S));
	S.m = fz_u8(&f) % NPROF;
	S.d = machines[S.m];
	S.p = tm_profile(S.d);
	boot(&S);
	/* the names depend on the profile and the faults only: checked at start-up, here only
	 * when the input asks (step 7), else taken from the start-up check */
	memcpy(S.idx, names_idx[S.m], sizeof(S.idx));
	S.count = names_count[S.m];

	for (int step = 0; step < 64 && !fz_empty(&f); step++) {
		uint8_t op = fz_u8(&f);
		switch (op % 8) {
		case 0: case 1: case 2:
			op_read(&S, &f);
			break;
		case 3: case 4:
			op_write(&S, &f);
			break;
		case 5: { /* a report: through the ioctl (reportdata echoed) or the TDX module */
			uint8_t req[1088], rep[1024];
			fz_bytes(&f, req, 64);
			if (op & 0x80) {
				struct tm_local_ua ua;
				tm_local_ua_init(&ua);
				tm_local_ua_add(&ua, req, sizeof(req));
				long rc = tm_tdx_ioctl(S.d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)req, &ua.ua);
				FZ_CHECK(rc == 0, "GET_REPORT0 = %ld", rc);
				memcpy(rep, req + 64, 1024);
			} else {
				FZ_CHECK(tm_tdx_tdreport(S.d, req, rep) == 0, "tdreport");
			}
			FZ_CHECK(!memcmp(rep + TDREPORT_OFF_REPORTDATA, req, 64), "reportdata not echoed");
			check_against_report(&S, rep, "report");
			break;
		}
		case 6: { /* extend by another path: the TDX module call, or the dstack ioctl */
			uint8_t req[49];
			fz_bytes(&f, req, 49);
			req[48] &= 3;
			if ((op & 0x80) && S.p->tdx_guest == TEEABI_TDX_DSTACK_MOD) {
				struct tm_local_ua ua;
				tm_local_ua_init(&ua);
				tm_local_ua_add(&ua, req, sizeof(req));
				long rc = tm_tdx_ioctl(S.d, TEEABI_TDX_CMD_EXTEND_RTMR, (uint64_t)(uintptr_t)req, &ua.ua);
				FZ_CHECK(rc == 0, "EXTEND_RTMR = %ld", rc);
			} else {
				FZ_CHECK(tm_tdx_rtmr_extend(S.d, req[48], req) == 0, "tm_tdx_rtmr_extend");
			}
			extend_shadow(&S, req[48], req);
			break;
		}
		case 7:
			if (op & 0x80)
				boot(&S);
			else
				check_names(&S);
			break;
		}
		for (unsigned i = 0; i < 4; i++) {
			uint8_t v[48];
			tm_tdx_rtmr_get(S.d, i, v);
			FZ_CHECK(memcmp(v, S.val[4 + i], 48) == 0, "step %d: RTMR%u differs from the SHA-384 chain", step, i);
		}
	}
	/* at the end every register reads back its expected value in full */
	for (int k = 0; k < 8 && S.count; k++) {
		uint8_t v[48];
		FZ_CHECK(tm_mr_read(S.d, S.idx[k], v, 48, 0) == 48 && !memcmp(v, S.val[k], 48), "final read of %s",
			 files[k].name);
	}
	tm_reset(S.d);
	return 0;
}
