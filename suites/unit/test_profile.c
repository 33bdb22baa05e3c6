/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_profile.c - profile parsing, derivation per kernel version (docs/kernel-abi.md
 * "Version deltas"; expected values written out here from that table), the shipped
 * profiles against docs/dstack-os.md §8, strict errors with line numbers, and detection
 * against fake root directories.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "teeabi/profile.h"
#include "testutil.h"

static const char *pdir(void)
{
	static char d[4096];
	snprintf(d, sizeof(d), "%s", tu_src_path("mocks/profiles"));
	return d;
}

static void parse_ok(const char *text, struct teeabi_profile *p)
{
	char err[256] = "";
	int r = teeabi_profile_parse(text, p, err, sizeof(err));
	if (r)
		fail_msg("parse failed: %s\n---\n%s", err, text);
}

static void parse_err(const char *text, const char *want)
{
	struct teeabi_profile p;
	char err[256] = "";
	int r = teeabi_profile_parse(text, &p, err, sizeof(err));
	if (r == 0)
		fail_msg("parse accepted:\n%s", text);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

/* ---------------------------------------------------------------- parsing */

static void t_parse_basic(void **s)
{
	struct teeabi_profile p;
	parse_ok("# comment\n\n  name = x-1  \ndescription = a b # c\nkernel=6.9.0-dstack\r\n"
		 "platform = tdx\nos_id = dstack\nos_version = 0.5.9\ntdx_guest = dstack-mod\n"
		 "tdx_extend_index_check = 1\nconfigfs_tsm = 0\n",
		 &p);
	assert_string_equal(p.name, "x-1");
	assert_string_equal(p.description, "a b # c");
	assert_string_equal(p.kernel, "6.9.0-dstack");
	assert_int_equal(p.kver_major, 6);
	assert_int_equal(p.kver_minor, 9);
	assert_string_equal(p.os_id, "dstack");
	assert_string_equal(p.os_version, "0.5.9");
	assert_int_equal(p.tdx_guest, TEEABI_TDX_DSTACK_MOD);
	assert_true(p.tdx_extend_index_check);
	assert_false(p.configfs_tsm);
	assert_int_equal(p.tsm_provider, TEEABI_TSM_NONE);
	/* rtmr_extend follows the flavour when not given */
	assert_int_equal(p.rtmr_extend, TEEABI_RTMR_EXTEND_IOCTL);
	assert_false(p.tsm_mr);
}

static void t_parse_overrides(void **s)
{
	struct teeabi_profile p;
	/* 6.7 derives 8K / 32K / floor 0; explicit keys win, sizes with suffixes */
	parse_ok("name = o\nkernel = 6.7.0\ntdx_quote_buf = 128K\ntsm_outblob_max = 16M\n"
		 "tdx_quote_status_check = 1\ntsm_visibility_611 = 1\n",
		 &p);
	assert_int_equal(p.tdx_quote_buf, 131072);
	assert_int_equal(p.tsm_outblob_max, 16777216);
	assert_true(p.tdx_quote_status_check);
	assert_true(p.tsm_visibility_611);
	assert_false(p.tsm_no_provider_enxio);
	parse_ok("name = o\nkernel = 6.18.1\nplatform = snp\nsev_vmpl = 2\n", &p);
	assert_int_equal(p.sev_vmpl, 2);
	assert_int_equal(p.privlevel_floor, 2);
	parse_ok("name = o\nkernel = 6.18.1\nplatform = snp\nsev_vmpl = 2\nprivlevel_floor = 1\n", &p);
	assert_int_equal(p.privlevel_floor, 1);
	parse_ok("name = o\nkernel = 6.18.1\nplatform = snp\nconfigfs_tsm = 0\n", &p);
	assert_int_equal(p.tsm_provider, TEEABI_TSM_NONE);
	parse_ok("name = o\nkernel = 6.18.1\nplatform = tdx\ntsm_precreate = com.intel.dcap\n", &p);
	assert_string_equal(p.tsm_precreate, "com.intel.dcap");
	assert_int_equal(p.rtmr_extend, TEEABI_RTMR_EXTEND_SYSFS);
}

static void t_parse_errors(void **s)
{
	parse_err("name = a\nkernel = 6.9.0\nbogus = 1\n", "line 3: unknown key \"bogus\"");
	parse_err("name = a\n\n# c\nkernel 6.9.0\n", "line 4: expected `key = value`");
	parse_err("name = a\nkernel = 6.9.0\nname = b\n", "line 3: key name repeated (first on line 1)");
	parse_err("name = a\nkernel = 6.9.0\nconfigfs_tsm = yes\n", "line 3: configfs_tsm: must be 0 or 1");
	parse_err("name = a\nkernel = 6.9.0\nconfigfs_tsm = 2\n", "line 3: configfs_tsm");
	parse_err("name = a\nkernel = six\n", "line 2: kernel");
	parse_err("name = a\nkernel = 6.\n", "line 2: kernel");
	parse_err("name = a\nkernel = 6.9.0\nplatform = arm\n", "line 3: platform: platform must be tdx or snp");
	parse_err("name = a\nkernel = 6.9.0\ntdx_guest = weird\n", "line 3: tdx_guest");
	parse_err("name = a\nkernel = 6.9.0\nsev_vmpl = 4\n", "line 3: sev_vmpl: sev_vmpl must be 0..3");
	parse_err("name = a\nkernel = 6.9.0\ntdx_quote_buf = 18446744073709551616\n", "line 3: tdx_quote_buf: size");
	parse_err("name = a\nkernel = 6.9.0\ntdx_quote_buf = 17179869184G\n", "line 3: tdx_quote_buf: size");
	parse_err("name = a\nkernel = 6.9.0\ntdx_quote_buf = 0\n", "line 3: tdx_quote_buf: size");
	parse_err("name = a\nkernel = 6.9.0\ntdx_quote_buf = 8X\n", "line 3: tdx_quote_buf: size");
	parse_err("name = a/b\nkernel = 6.9.0\n", "line 1: name");
	parse_err("name = ..\nkernel = 6.9.0\n", "line 1: name");
	parse_err("name = a\nkernel = 6.9.0\ntsm_precreate = ../x\n", "line 3: tsm_precreate");
	parse_err("kernel = 6.9.0\n", "missing required key `name`");
	parse_err("name = a\n", "missing required key `kernel`");
	/* self-contradicting profiles */
	parse_err("name = a\nkernel = 6.18.0\nconfigfs_tsm = 0\ntsm_provider = tdx_guest\n", "tsm_provider set but configfs_tsm = 0");
	parse_err("name = a\nkernel = 6.18.0\nrtmr_extend = ioctl\n", "rtmr_extend = ioctl needs");
	parse_err("name = a\nkernel = 6.9.0\nrtmr_extend = sysfs\n", "rtmr_extend = sysfs but tsm_mr = 0");
	parse_err("name = a\nkernel = 6.1.0\nplatform = snp\ntsm_precreate = x\n", "tsm_precreate set but no tsm_provider");
	parse_err("name = a\nkernel = 6.1.0\n", "no attestation interface");
	char big[300];
	memset(big, 'd', sizeof(big));
	char text[400];
	snprintf(text, sizeof(text), "name = a\nkernel = 6.9.0\ndescription = %.250s\n", big);
	parse_err(text, "line 3: description: description too long");
}

/* ---------------------------------------------------------------- derivation */

struct dcase {
	const char *kernel;
	int plat;
	bool errnos616, cfg, vis611, enxio616, qstatus, throttle, early, mr;
	unsigned long outblob, qbuf;
	enum teeabi_tdx_flavour tdx;
	enum teeabi_tsm_provider prov;
	bool sev;
};

static void t_derive(void **s)
{
	/* From docs/kernel-abi.md "Version deltas", row by row. */
	static const struct dcase c[] = {
		{ "6.1.0", TEEABI_PLAT_SNP, 0, 0, 0, 0, 0, 0, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_NONE, 1 },
		{ "6.1.0", TEEABI_PLAT_TDX, 0, 0, 0, 0, 0, 0, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_NONE, 0 },
		{ "6.2.16", TEEABI_PLAT_TDX, 0, 0, 0, 0, 0, 0, 1, 0, 32768, 8192, TEEABI_TDX_UPSTREAM, TEEABI_TSM_NONE, 0 },
		{ "6.3.0", TEEABI_PLAT_SNP, 0, 0, 0, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_NONE, 1 },
		{ "6.6.9", TEEABI_PLAT_TDX, 0, 0, 0, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_UPSTREAM, TEEABI_TSM_NONE, 0 },
		{ "6.7.0", TEEABI_PLAT_TDX, 0, 1, 0, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_UPSTREAM, TEEABI_TSM_TDX, 0 },
		{ "6.7.0", TEEABI_PLAT_SNP, 0, 1, 0, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_SEV, 1 },
		{ "6.10.0", TEEABI_PLAT_SNP, 0, 1, 0, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_SEV, 1 },
		{ "6.11.0", TEEABI_PLAT_SNP, 0, 1, 1, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_SEV, 1 },
		{ "6.12.0", TEEABI_PLAT_SNP, 0, 1, 1, 0, 0, 1, 1, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_SEV, 1 },
		{ "6.13.0", TEEABI_PLAT_SNP, 0, 1, 1, 0, 0, 1, 0, 0, 32768, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_SEV, 1 },
		{ "6.15.9", TEEABI_PLAT_TDX, 0, 1, 1, 0, 0, 1, 0, 0, 32768, 8192, TEEABI_TDX_UPSTREAM, TEEABI_TSM_TDX, 0 },
		{ "6.16.0", TEEABI_PLAT_TDX, 1, 1, 1, 1, 0, 1, 0, 1, 16777216, 8192, TEEABI_TDX_UPSTREAM, TEEABI_TSM_TDX, 0 },
		{ "6.16.0", TEEABI_PLAT_SNP, 1, 1, 1, 1, 0, 1, 0, 0, 16777216, 8192, TEEABI_TDX_ABSENT, TEEABI_TSM_SEV, 1 },
		{ "6.18.6-dstack", TEEABI_PLAT_TDX, 1, 1, 1, 1, 0, 1, 0, 1, 16777216, 8192, TEEABI_TDX_UPSTREAM, TEEABI_TSM_TDX, 0 },
		{ "7.0.0", TEEABI_PLAT_TDX, 1, 1, 1, 1, 1, 1, 0, 1, 16777216, 131072, TEEABI_TDX_UPSTREAM, TEEABI_TSM_TDX, 0 },
		{ "10.2.0", TEEABI_PLAT_TDX, 1, 1, 1, 1, 1, 1, 0, 1, 16777216, 131072, TEEABI_TDX_UPSTREAM, TEEABI_TSM_TDX, 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct teeabi_profile p;
		memset(&p, 0, sizeof(p));
		snprintf(p.kernel, sizeof(p.kernel), "%s", c[i].kernel);
		p.platform = c[i].plat;
		p.sev_vmpl = 1;
		teeabi_profile_derive(&p);
		char what[80];
		snprintf(what, sizeof(what), "%s %s", c[i].kernel, c[i].plat == TEEABI_PLAT_SNP ? "snp" : "tdx");
#define CHK(field, want)                                                                                                \
	do {                                                                                                            \
		if ((unsigned long)(p.field) != (unsigned long)(want))                                                  \
			fail_msg("%s: %s = %lu, want %lu", what, #field, (unsigned long)(p.field), (unsigned long)(want)); \
	} while (0)
		CHK(tdx_report_errnos_616, c[i].errnos616);
		CHK(configfs_tsm, c[i].cfg);
		CHK(tsm_visibility_611, c[i].vis611);
		CHK(tsm_no_provider_enxio, c[i].enxio616);
		CHK(tdx_quote_status_check, c[i].qstatus);
		CHK(sev_throttle, c[i].throttle);
		CHK(sev_vmpck_check_early, c[i].early);
		CHK(tsm_mr, c[i].mr);
		CHK(tsm_outblob_max, c[i].outblob);
		CHK(tdx_quote_buf, c[i].qbuf);
		CHK(tdx_guest, c[i].tdx);
		CHK(tsm_provider, c[i].prov);
		CHK(sev_guest, c[i].sev);
		CHK(privlevel_floor, c[i].vis611 ? 1 : 0); /* sev_vmpl = 1 from 6.11 */
		CHK(tsm_svsm, c[i].vis611 && c[i].prov == TEEABI_TSM_SEV); /* sev_vmpl = 1: under an SVSM */
		CHK(sev_sysfs_vmpl, c[i].vis611 && c[i].plat == TEEABI_PLAT_SNP);
		CHK(rtmr_extend, c[i].mr ? TEEABI_RTMR_EXTEND_SYSFS : TEEABI_RTMR_EXTEND_NONE);
		assert_int_equal(p.kver_major, atoi(c[i].kernel));
	}
}

/* ---------------------------------------------------------------- shipped profiles */

struct want {
	const char *name, *kernel, *osv;
	enum teeabi_tdx_flavour tdx;
	bool idx, cfg;
	enum teeabi_tsm_provider prov;
	const char *pre;
	bool sev, mr;
	enum teeabi_rtmr_extend rx;
	int plat;
};

#define M05(v, k, idx) { "dstack-" v, k, v, TEEABI_TDX_DSTACK_MOD, idx, 0, TEEABI_TSM_NONE, "", 0, 0, TEEABI_RTMR_EXTEND_IOCTL, TEEABI_PLAT_TDX }
static const struct want shipped[] = {
	/* docs/dstack-os.md §8 */
	M05("0.5.0", "6.9.0-yocto-standard", 0), M05("0.5.3", "6.9.0-dstack", 0), M05("0.5.4", "6.9.0-dstack", 0),
	M05("0.5.5", "6.9.0-dstack", 0), M05("0.5.6", "6.9.0-dstack", 0), M05("0.5.7", "6.9.0-dstack", 0),
	M05("0.5.8", "6.9.0-dstack", 0), M05("0.5.9", "6.9.0-dstack", 1), M05("0.5.10", "6.9.0-dstack", 1),
	M05("0.5.11", "6.9.0-dstack", 1),
	{ "dstack-0.6.0a1-tdx", "6.18.6-dstack", "0.6.0", TEEABI_TDX_UPSTREAM, 0, 1, TEEABI_TSM_TDX, "com.intel.dcap", 0, 1, TEEABI_RTMR_EXTEND_SYSFS, TEEABI_PLAT_TDX },
	{ "dstack-0.6.0a2-tdx", "6.18.6-dstack", "0.6.0.a2", TEEABI_TDX_UPSTREAM, 0, 1, TEEABI_TSM_TDX, "com.intel.dcap", 0, 1, TEEABI_RTMR_EXTEND_SYSFS, TEEABI_PLAT_TDX },
	{ "dstack-0.6.0-tdx", "6.18.6-dstack", "0.6.0", TEEABI_TDX_UPSTREAM, 0, 1, TEEABI_TSM_TDX, "com.intel.dcap", 0, 1, TEEABI_RTMR_EXTEND_SYSFS, TEEABI_PLAT_TDX },
	{ "dstack-0.6.0-snp", "6.18.6-dstack", "0.6.0", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_SEV, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	{ "dstack-0.6.0-snp-notsm", "6.18.6-dstack", "0.6.0", TEEABI_TDX_ABSENT, 0, 0, TEEABI_TSM_NONE, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	/* docs/kernel-abi.md version deltas */
	{ "upstream-6.1-snp", "6.1.0", "", TEEABI_TDX_ABSENT, 0, 0, TEEABI_TSM_NONE, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	{ "upstream-6.2-tdx", "6.2.0", "", TEEABI_TDX_UPSTREAM, 0, 0, TEEABI_TSM_NONE, "", 0, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_TDX },
	{ "upstream-6.7-tdx", "6.7.0", "", TEEABI_TDX_UPSTREAM, 0, 1, TEEABI_TSM_TDX, "", 0, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_TDX },
	{ "upstream-6.7-snp", "6.7.0", "", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_SEV, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	{ "upstream-6.11-snp", "6.11.0", "", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_SEV, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	{ "upstream-6.11-snp-svsm", "6.11.0", "", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_SEV, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	{ "upstream-6.12-snp-turin", "6.12.0", "", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_SEV, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	/* the configfs-tsm core without its provider (tdx-guest not loaded) */
	{ "upstream-6.12-tdx-noprovider", "6.12.0", "", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_NONE, "", 0, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_TDX },
	{ "upstream-6.16-snp-svsm", "6.16.0", "", TEEABI_TDX_ABSENT, 0, 1, TEEABI_TSM_SEV, "", 1, 0, TEEABI_RTMR_EXTEND_NONE, TEEABI_PLAT_SNP },
	{ "upstream-6.16-tdx", "6.16.0", "", TEEABI_TDX_UPSTREAM, 0, 1, TEEABI_TSM_TDX, "", 0, 1, TEEABI_RTMR_EXTEND_SYSFS, TEEABI_PLAT_TDX },
	{ "upstream-7.0-tdx", "7.0.0", "", TEEABI_TDX_UPSTREAM, 0, 1, TEEABI_TSM_TDX, "", 0, 1, TEEABI_RTMR_EXTEND_SYSFS, TEEABI_PLAT_TDX },
};

static void t_shipped(void **s)
{
	char names[128][64];
	int n = teeabi_profile_list(pdir(), names, 128);
	assert_int_equal(n, (int)(sizeof(shipped) / sizeof(shipped[0])));
	for (int i = 1; i < n; i++)
		assert_true(strcmp(names[i - 1], names[i]) < 0);
	for (int i = 0; i < n; i++) {
		struct teeabi_profile p;
		char err[256];
		if (teeabi_profile_load(pdir(), names[i], &p, err, sizeof(err)))
			fail_msg("%s: %s", names[i], err);
		assert_string_equal(p.name, names[i]);
		assert_true(strlen(p.description) > 10);
	}
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		const struct want *w = &shipped[i];
		struct teeabi_profile p;
		char err[256];
		if (teeabi_profile_load(pdir(), w->name, &p, err, sizeof(err)))
			fail_msg("%s: %s", w->name, err);
		const char *what = w->name;
		assert_string_equal(p.kernel, w->kernel);
		assert_string_equal(p.os_version, w->osv);
		assert_string_equal(p.os_id, w->osv[0] ? "dstack" : "");
		CHK(platform, w->plat);
		CHK(tdx_guest, w->tdx);
		CHK(tdx_extend_index_check, w->idx);
		CHK(configfs_tsm, w->cfg);
		CHK(tsm_provider, w->prov);
		CHK(sev_guest, w->sev);
		CHK(tsm_mr, w->mr);
		CHK(rtmr_extend, w->rx);
		assert_string_equal(p.tsm_precreate, w->pre);
	}
}

/* The dstack guest agent per image version, written from docs/dstack-os.md §3.2 (endpoints),
 * §3.4 (GetQuote log format, runtime log file) and §3.6 (log/extend order), independent of
 * the profile files: every dstack profile must say exactly this, every other none. */
static void t_agent(void **s)
{
	static const struct { const char *osv; bool attest, version, stripped, log_first; const char *log; } v[] = {
		{ "0.5.0", 0, 0, 0, 0, "/run/log/tdx_mr3/tdx_events.log" },
		{ "0.5.3", 0, 0, 0, 0, "/run/log/tdx_mr3/tdx_events.log" },
		{ "0.5.4", 0, 0, 0, 0, "/run/log/tdx_mr3/tdx_events.log" },
		{ "0.5.5", 0, 0, 0, 0, "/run/log/tdx_mr3/tdx_events.log" },
		{ "0.5.6", 1, 0, 1, 1, "/run/log/dstack/runtime_events.log" },
		{ "0.5.7", 1, 1, 1, 1, "/run/log/dstack/runtime_events.log" },
		{ "0.5.8", 1, 1, 1, 1, "/run/log/dstack/runtime_events.log" },
		{ "0.5.9", 1, 1, 1, 1, "/run/log/dstack/runtime_events.log" },
		{ "0.5.10", 1, 1, 1, 1, "/run/log/dstack/runtime_events.log" },
		{ "0.5.11", 1, 1, 1, 1, "/run/log/dstack/runtime_events.log" },
		{ "0.6.0", 1, 1, 1, 0, "/run/log/dstack/runtime_events.log" },
		{ "0.6.0.a2", 1, 1, 1, 0, "/run/log/dstack/runtime_events.log" },
	};
	char names[128][64];
	int n = teeabi_profile_list(pdir(), names, 128), dstack = 0;
	for (int i = 0; i < n; i++) {
		struct teeabi_profile p;
		char err[256];
		assert_int_equal(teeabi_profile_load(pdir(), names[i], &p, err, sizeof(err)), 0);
		if (strcmp(p.os_id, "dstack")) {
			assert_false(p.agent);
			continue;
		}
		dstack++;
		size_t k = 0;
		while (k < sizeof(v) / sizeof(v[0]) && strcmp(v[k].osv, p.os_version))
			k++;
		if (k == sizeof(v) / sizeof(v[0]))
			fail_msg("%s: dstack %s is not in the agent table", p.name, p.os_version);
		if (!p.agent || !p.agent_emit_event || p.agent_attest != v[k].attest || p.agent_version != v[k].version ||
		    p.agent_evlog_stripped != v[k].stripped || p.agent_log_first != v[k].log_first ||
		    strcmp(p.agent_runtime_log, v[k].log))
			fail_msg("%s: agent keys differ from docs/dstack-os.md §3 for %s", p.name, p.os_version);
	}
	assert_int_equal(dstack, 15);
	parse_err("name = a\nkernel = 6.9.0\nagent_evlog = compact\n", "line 3: agent_evlog: agent_evlog must be full or stripped");
	parse_err("name = a\nkernel = 6.9.0\nagent_runtime_log = run/x\n", "line 3: agent_runtime_log");
	parse_err("name = a\nkernel = 6.9.0\nagent_runtime_log = /run/log/../x\n", "line 3: agent_runtime_log");
	parse_err("name = a\nkernel = 6.9.0\nagent = 1\n", "agent = 1 needs agent_runtime_log");
	parse_err("name = a\nkernel = 6.9.0\nagent_version = 1\n", "agent_version set but agent = 0");
}

/* tsm_svsm (kernel-abi.md §2.6): 6.11+, provider sev_guest, guest above VMPL0; it follows
 * the explicit keys it depends on and is not a key itself */
static void t_svsm(void **s)
{
	struct teeabi_profile p;
	char err[256];
	assert_int_equal(teeabi_profile_load(pdir(), "upstream-6.11-snp-svsm", &p, err, sizeof(err)), 0);
	assert_int_equal(p.sev_vmpl, 1);
	assert_int_equal(p.privlevel_floor, 1);
	assert_true(p.tsm_visibility_611);
	assert_true(p.tsm_svsm);
	assert_int_equal(teeabi_profile_load(pdir(), "upstream-6.16-snp-svsm", &p, err, sizeof(err)), 0);
	assert_int_equal(p.sev_vmpl, 2);
	assert_int_equal(p.privlevel_floor, 2);
	assert_true(p.tsm_svsm);
	assert_int_equal(p.tsm_outblob_max, (size_t)16 << 20);
	assert_int_equal(teeabi_profile_load(pdir(), "upstream-6.11-snp", &p, err, sizeof(err)), 0);
	assert_false(p.tsm_svsm);
	assert_int_equal(teeabi_profile_load(pdir(), "dstack-0.6.0-snp", &p, err, sizeof(err)), 0);
	assert_false(p.tsm_svsm);
	/* the simulated parts of the shipped SNP profiles (mocks/profiles/) */
	assert_int_equal(p.snp_product, TEEABI_SNP_MILAN);
	assert_int_equal(teeabi_profile_load(pdir(), "upstream-6.11-snp-svsm", &p, err, sizeof(err)), 0);
	assert_true(p.snp_product == TEEABI_SNP_GENOA && p.snp_vlek);
	assert_int_equal(teeabi_profile_load(pdir(), "upstream-6.12-snp-turin", &p, err, sizeof(err)), 0);
	assert_true(p.snp_product == TEEABI_SNP_TURIN && !p.snp_vlek);
	assert_true(p.tsm_visibility_611);
	assert_false(p.tsm_svsm);
	parse_ok("name = o\nkernel = 6.10.0\nplatform = snp\nsev_vmpl = 1\n", &p);
	assert_false(p.tsm_svsm);
	parse_ok("name = o\nkernel = 6.10.0\nplatform = snp\nsev_vmpl = 1\ntsm_visibility_611 = 1\n", &p);
	assert_true(p.tsm_svsm);
	parse_ok("name = o\nkernel = 6.18.0\nplatform = snp\nsev_vmpl = 2\ntsm_visibility_611 = 0\n", &p);
	assert_false(p.tsm_svsm);
	parse_ok("name = o\nkernel = 6.18.0\nplatform = snp\nsev_vmpl = 2\nconfigfs_tsm = 0\n", &p);
	assert_false(p.tsm_svsm);
	parse_ok("name = o\nkernel = 6.18.0\nplatform = snp\nsev_vmpl = 2\n", &p);
	assert_true(p.tsm_svsm);
	parse_err("name = o\nkernel = 6.18.0\nplatform = snp\ntsm_svsm = 1\n", "line 4: unknown key \"tsm_svsm\"");
	/* snp_debug: production (0) unless a profile says 1 or any (round 4, 144) */
	parse_ok("name = o\nkernel = 6.18.0\nplatform = snp\n", &p);
	assert_int_equal(p.snp_debug, 0);
	parse_ok("name = o\nkernel = 6.18.0\nplatform = snp\nsnp_debug = 1\n", &p);
	assert_int_equal(p.snp_debug, 1);
	parse_ok("name = o\nkernel = 6.18.0\nplatform = snp\nsnp_debug = any\n", &p);
	assert_int_equal(p.snp_debug, -1);
	parse_err("name = o\nkernel = 6.18.0\nplatform = snp\nsnp_debug = yes\n", "snp_debug must be 0, 1 or any");
	memset(&p, 0, sizeof(p));
	snprintf(p.kernel, sizeof(p.kernel), "6.12.0");
	p.platform = TEEABI_PLAT_SNP;
	p.sev_vmpl = 3;
	teeabi_profile_derive(&p);
	assert_true(p.tsm_svsm);
	assert_int_equal(p.privlevel_floor, 3);
}

static void t_load_errors(void **s)
{
	char dir[] = "/tmp/teeabi-prof-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[4200], err[512];
	struct teeabi_profile p;
	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("name = bad\nkernel = 6.9.0\n# x\ntsm_mr = maybe\n", f);
	fclose(f);
	assert_int_equal(teeabi_profile_load(dir, "bad", &p, err, sizeof(err)), -1);
	char want[4300];
	snprintf(want, sizeof(want), "%s:4: tsm_mr", path);
	if (!strstr(err, want))
		fail_msg("got \"%s\", want prefix \"%s\"", err, want);
	snprintf(path, sizeof(path), "%s/other.conf", dir);
	f = fopen(path, "w");
	fputs("name = notother\nkernel = 6.9.0\ntdx_guest = dstack-mod\n", f);
	fclose(f);
	assert_int_equal(teeabi_profile_load(dir, "other", &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not match the file name"));
	assert_int_equal(teeabi_profile_load(dir, "missing", &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown profile"));
	assert_int_equal(teeabi_profile_load(dir, "../etc/passwd", &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid profile name"));
	/* list ignores non-.conf files */
	snprintf(path, sizeof(path), "%s/README", dir);
	fclose(fopen(path, "w"));
	char names[4][64];
	assert_int_equal(teeabi_profile_list(dir, names, 4), 2);
	assert_string_equal(names[0], "bad");
	assert_string_equal(names[1], "other");
	assert_int_equal(teeabi_profile_list(dir, names, 1), 1);
	assert_int_equal(teeabi_profile_list("/nonexistent-teeabi", names, 4), -1);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---------------------------------------------------------------- detection */

static void unlink_under(const char *root, const char *rel)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(unlink(path), 0);
}

static void put(const char *root, const char *rel, const char *text)
{
	char path[4200], d[4400];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(d, sizeof(d), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(d), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void detect_case(const char *osr, const char *rel, const char *node, const char *want, bool want_matched)
{
	char root[] = "/tmp/teeabi-root-XXXXXX";
	assert_non_null(mkdtemp(root));
	if (osr)
		put(root, "/etc/os-release", osr);
	put(root, "/proc/sys/kernel/osrelease", rel);
	if (node)
		put(root, node, "");
	struct teeabi_profile p;
	bool matched = !want_matched;
	char err[256] = "";
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), 0);
	if (strcmp(p.name, want) || matched != want_matched)
		fail_msg("os-release %s kernel %s node %s: got %s (matched %d, %s), want %s (matched %d)", osr ? osr : "-", rel,
			 node ? node : "-", p.name, matched, err, want, want_matched);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void t_detect(void **s)
{
	setenv("TEEABI_PROFILE_DIR", pdir(), 1);
	detect_case("NAME=\"DStack\"\nID=dstack\nVERSION_ID=0.5.9\n", "6.9.0-dstack\n", "/dev/tdx_guest", "dstack-0.5.9", true);
	detect_case("ID=dstack\nVERSION_ID=\"0.5.11\"\n", "6.9.0-dstack\n", "/dev/tdx_guest", "dstack-0.5.11", true);
	/* point release -> its base */
	detect_case("ID=dstack\nVERSION_ID=0.5.4.1\n", "6.9.0-dstack\n", "/dev/tdx_guest", "dstack-0.5.4", true);
	detect_case("ID=dstack\nVERSION_ID=0.6.0\n", "6.18.6-dstack\n", "/dev/tdx_guest", "dstack-0.6.0-tdx", true);
	detect_case("ID=dstack\nVERSION_ID=0.6.0\n", "6.18.6-dstack\n", "/dev/sev-guest", "dstack-0.6.0-snp", true);
	/* os_version 0.6.0.a2 -> the a2 profile, found by its os_version */
	detect_case("ID=dstack\nVERSION_ID=0.6.0.a2\n", "6.18.6-dstack\n", "/dev/tdx_guest", "dstack-0.6.0a2-tdx", true);
	/* upstream kernels by major.minor and platform */
	detect_case("ID=debian\nVERSION_ID=\"12\"\n", "6.16.3-generic\n", "/dev/tdx_guest", "upstream-6.16-tdx", true);
	detect_case(NULL, "6.1.0-13-amd64\n", "/dev/sev-guest", "upstream-6.1-snp", true);
	/* CPU flag when no node */
	detect_case("ID=debian\n", "6.7.0\n", "/proc/cpuinfo", "generic-6.7-tdx", false);
	/* no profile: generic, derived */
	detect_case("ID=debian\n", "6.12.0\n", "/dev/sev-guest", "generic-6.12-snp", false);
	detect_case("ID=dstack\nVERSION_ID=9.9.9\n", "6.9.0-dstack\n", "/dev/tdx_guest", "generic-6.9-tdx", false);
	/* a platform-less dstack profile (0.5.x: TDX only) is not chosen on SEV-SNP (found by
	 * fuzz_profile_detect: the TDX profile dstack-0.5.9 was picked for an SNP guest) */
	detect_case("ID=dstack\nVERSION_ID=0.5.9\n", "6.9.0-dstack\n", "/dev/sev-guest", "generic-6.9-snp", false);
	detect_case("ID=dstack\nVERSION_ID=0.5.9\n", "6.1.0\n", "/dev/sev-guest", "upstream-6.1-snp", true);

	/* generic profile content */
	char root[] = "/tmp/teeabi-root-XXXXXX";
	assert_non_null(mkdtemp(root));
	put(root, "/proc/sys/kernel/osrelease", "6.12.4\n");
	put(root, "/proc/cpuinfo", "flags : fpu sev sev_es sev_snp\n");
	struct teeabi_profile p;
	bool matched = true;
	char err[256];
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), 0);
	assert_false(matched);
	assert_string_equal(p.name, "generic-6.12-snp");
	assert_int_equal(p.platform, TEEABI_PLAT_SNP);
	assert_true(p.sev_guest);
	assert_true(p.tsm_visibility_611);
	assert_int_equal(p.tsm_provider, TEEABI_TSM_SEV);
	assert_non_null(strstr(err, "no profile matches"));
	/* image text is hostile: the release ends at a blank or unprintable byte, a VERSION_ID
	 * that is no name is not kept, error text stays printable (found by fuzz_profile_detect) */
	put(root, "/proc/sys/kernel/osrelease", "6.12.4 \x01junk\n");
	put(root, "/etc/os-release", "ID=dstack\nVERSION_ID=\"0.9 \x1b[31mred\"\n");
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), 0);
	assert_false(matched);
	assert_string_equal(p.kernel, "6.12.4");
	assert_string_equal(p.os_id, "dstack");
	assert_string_equal(p.os_version, "");
	assert_null(strchr(err, '\x1b'));
	assert_null(strchr(p.description, '\x01'));
	unlink_under(root, "/etc/os-release");
	/* unreadable kernel release / garbage -> error */
	put(root, "/proc/sys/kernel/osrelease", "garbage\n");
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not MAJOR.MINOR"));
	/* a release longer than the profile's kernel field (63 characters) is refused: cut, it
	 * could stop being MAJOR.MINOR (zeros before "6.400", found by fuzz_profile_detect); 63
	 * characters still fit */
	char longrel[80];
	memset(longrel, '0', sizeof(longrel));
	memcpy(longrel + 64 - 6, "6.12.4\n", 8);
	put(root, "/proc/sys/kernel/osrelease", longrel);
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than 63 characters"));
	put(root, "/proc/sys/kernel/osrelease", longrel + 1);
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), 0);
	assert_int_equal(strlen(p.kernel), 63);
	assert_int_equal(p.kver_major, 6);
	assert_int_equal(p.kver_minor, 12);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(teeabi_profile_detect("/nonexistent-teeabi-root", &p, &matched, err, sizeof(err)), -1);
	unsetenv("TEEABI_PROFILE_DIR");
}

/* The running VMPL (/sys/devices/system/cpu/sev/vmpl, SNP 6.11+) picks the SVSM profile of an
 * upstream kernel line and replaces any profile's sev_vmpl, with the floor and SVSM attrs. */
static void vmpl_case(const char *osr, const char *rel, const char *node, const char *vmpl, const char *want,
		      unsigned want_vmpl, bool want_svsm)
{
	char root[] = "/tmp/teeabi-root-XXXXXX";
	assert_non_null(mkdtemp(root));
	if (osr)
		put(root, "/etc/os-release", osr);
	put(root, "/proc/sys/kernel/osrelease", rel);
	put(root, node, "");
	if (vmpl)
		put(root, "/sys/devices/system/cpu/sev/vmpl", vmpl);
	struct teeabi_profile p;
	bool matched = false;
	char err[256] = "";
	assert_int_equal(teeabi_profile_detect(root, &p, &matched, err, sizeof(err)), 0);
	if (strcmp(p.name, want) || p.sev_vmpl != want_vmpl || p.tsm_svsm != want_svsm)
		fail_msg("kernel %s vmpl %s: got %s vmpl %u svsm %d, want %s vmpl %u svsm %d", rel, vmpl ? vmpl : "-", p.name,
			 p.sev_vmpl, p.tsm_svsm, want, want_vmpl, want_svsm);
	if (p.platform == TEEABI_PLAT_SNP && p.tsm_visibility_611)
		assert_int_equal(p.privlevel_floor, want_vmpl);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void t_detect_vmpl(void **s)
{
	setenv("TEEABI_PROFILE_DIR", pdir(), 1);
	const char *deb = "ID=debian\n", *ds = "ID=dstack\nVERSION_ID=0.6.0\n";
	/* upstream 6.11: VMPL0 -> the plain profile, VMPL1 -> the SVSM one, VMPL2 -> SVSM at 2 */
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", "0\n", "upstream-6.11-snp", 0, false);
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", "1\n", "upstream-6.11-snp-svsm", 1, true);
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", "2\n", "upstream-6.11-snp-svsm", 2, true);
	/* no file (older kernel, or no sysfs): the profile as it is */
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", NULL, "upstream-6.11-snp", 0, false);
	/* not a VMPL: ignored */
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", "4\n", "upstream-6.11-snp", 0, false);
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", "1x\n", "upstream-6.11-snp", 0, false);
	vmpl_case(deb, "6.11.0\n", "/dev/sev-guest", "", "upstream-6.11-snp", 0, false);
	/* a dstack image launched under an SVSM keeps its profile, at the running VMPL */
	vmpl_case(ds, "6.18.6-dstack\n", "/dev/sev-guest", "1\n", "dstack-0.6.0-snp", 1, true);
	vmpl_case(ds, "6.18.6-dstack\n", "/dev/sev-guest", "0\n", "dstack-0.6.0-snp", 0, false);
	/* before 6.11 there are no SVSM attributes, and the floor stays 0 */
	vmpl_case(deb, "6.7.0\n", "/dev/sev-guest", "1\n", "upstream-6.7-snp", 1, false);
	/* generic kernel: derived, then the running VMPL */
	vmpl_case(deb, "6.12.0\n", "/dev/sev-guest", "3\n", "generic-6.12-snp", 3, true);
	/* a TDX guest never reads it */
	vmpl_case(deb, "6.16.0\n", "/dev/tdx_guest", "1\n", "upstream-6.16-tdx", 0, false);
	unsetenv("TEEABI_PROFILE_DIR");
}

static void t_dir(void **s)
{
	setenv("TEEABI_PROFILE_DIR", "/some/where", 1);
	assert_string_equal(teeabi_profile_dir(), "/some/where");
	unsetenv("TEEABI_PROFILE_DIR");
	/* build/tests/test_profile -> ../../mocks/profiles exists in the source tree */
	const char *d = teeabi_profile_dir();
	char names[64][64];
	assert_true(teeabi_profile_list(d, names, 64) > 10);
	assert_string_equal(teeabi_tsm_provider_name(TEEABI_TSM_SEV), "sev_guest");
	assert_string_equal(teeabi_tdx_flavour_name(TEEABI_TDX_DSTACK_MOD), "dstack-mod");
}

/* Hostile text never crashes and long lines are bounded. */
static void t_hostile(void **s)
{
	unsigned seed = 12345;
	static const char alphabet[] = "=\n# \tabcdeiklmnoprstuvx_0123456789.-Kk";
	char buf[512];
	struct teeabi_profile p;
	char err[128];
	for (int it = 0; it < 20000; it++) {
		size_t n = (size_t)(rand_r(&seed) % (sizeof(buf) - 1));
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		buf[n] = 0;
		(void)teeabi_profile_parse(buf, &p, err, sizeof(err));
	}
	char *huge = malloc(70000);
	assert_non_null(huge);
	memset(huge, 'a', 69999);
	huge[69999] = 0;
	assert_int_equal(teeabi_profile_parse(huge, &p, err, sizeof(err)), -1);
	free(huge);
}

/* The cache of parsed profiles serves a file only while it is the same file: rewritten in
 * place with the same size, replaced by a rename, removed, or the same name under another
 * directory, the next load sees the change. The files are made 3 s old first, so that the
 * cache keeps them (a file changed within the last 2 s is never cached). */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void t_cache(void **s)
{
	(void)s;
	char d1[] = "/tmp/teeabi-pcache-XXXXXX", d2[] = "/tmp/teeabi-pcache-XXXXXX";
	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	char a[4200], b[4200], tmp[4200], err[512];
	struct teeabi_profile p;
	snprintf(a, sizeof(a), "%s/pc.conf", d1);
	snprintf(b, sizeof(b), "%s/pc.conf", d2);
	snprintf(tmp, sizeof(tmp), "%s/new.tmp", d1);
	write_file(a, "name = pc\nkernel = 6.9.0\n");
	write_file(b, "name = pc\nkernel = 6.7.0\n");
	sleep(3);
	for (int i = 0; i < 3; i++) { /* read, then (cached) again */
		assert_int_equal(teeabi_profile_load(d1, "pc", &p, err, sizeof(err)), 0);
		assert_string_equal(p.kernel, "6.9.0");
		assert_int_equal(teeabi_profile_load(d2, "pc", &p, err, sizeof(err)), 0);
		assert_string_equal(p.kernel, "6.7.0");
	}
	/* rewritten in place, same size */
	write_file(a, "name = pc\nkernel = 6.2.0\n");
	assert_int_equal(teeabi_profile_load(d1, "pc", &p, err, sizeof(err)), 0);
	assert_string_equal(p.kernel, "6.2.0");
	/* replaced by a rename */
	write_file(tmp, "name = pc\nkernel = 6.4.0\n");
	assert_int_equal(rename(tmp, a), 0);
	assert_int_equal(teeabi_profile_load(d1, "pc", &p, err, sizeof(err)), 0);
	assert_string_equal(p.kernel, "6.4.0");
	/* broken: the error, not the last good profile */
	write_file(a, "name = pc\nkernel = 6.4.0\nbogus = 1\n");
	assert_int_equal(teeabi_profile_load(d1, "pc", &p, err, sizeof(err)), -1);
	/* removed */
	assert_int_equal(unlink(a), 0);
	assert_int_equal(teeabi_profile_load(d1, "pc", &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown profile"));
	/* the listing: a profile added to a cached (settled) directory is listed */
	char names[8][64];
	assert_int_equal(teeabi_profile_list(d2, names, 8), 1);
	assert_int_equal(teeabi_profile_list(d2, names, 8), 1);
	snprintf(tmp, sizeof(tmp), "%s/pd.conf", d2);
	write_file(tmp, "name = pd\nkernel = 6.9.0\n");
	assert_int_equal(teeabi_profile_list(d2, names, 8), 2);
	assert_string_equal(names[1], "pd");
	assert_int_equal(unlink(tmp), 0);
	assert_int_equal(unlink(b), 0);
	assert_int_equal(teeabi_profile_list(d2, names, 8), 0);
	assert_int_equal(rmdir(d1), 0);
	assert_int_equal(rmdir(d2), 0);
}

/* dev_mode: any (-1, the default: not fixed) or octal with a leading 0, 00..0777 */
static void t_dev_mode(void **s)
{
	(void)s;
	struct teeabi_profile p;
	parse_ok("name = x\nplatform = tdx\nkernel = 6.12.0\n", &p);
	assert_int_equal(p.dev_mode, -1);
	parse_ok("name = x\nplatform = tdx\nkernel = 6.12.0\ndev_mode = any\n", &p);
	assert_int_equal(p.dev_mode, -1);
	parse_ok("name = x\nplatform = tdx\nkernel = 6.12.0\ndev_mode = 0600\n", &p);
	assert_int_equal(p.dev_mode, 0600);
	parse_ok("name = x\nplatform = snp\nkernel = 6.12.0\ndev_mode = 0660\n", &p);
	assert_int_equal(p.dev_mode, 0660);
	parse_ok("name = x\nplatform = snp\nkernel = 6.12.0\ndev_mode = 00\n", &p);
	assert_int_equal(p.dev_mode, 0);
	static const char *const bad[] = { "660", "0", "0800", "01000", "0x180", "0600x", "-0600", "", "Any", "06 00" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char t[128];
		snprintf(t, sizeof(t), "name = x\nplatform = tdx\nkernel = 6.12.0\ndev_mode = %s\n", bad[i]);
		parse_err(t, "dev_mode must be any, or octal");
	}
}

/* agent_crate_version: versions separated by |, any, or empty (not recorded); only with a
 * Version endpoint */
static void t_agent_crate_version(void **s)
{
	(void)s;
	struct teeabi_profile p;
	static const char agent[] = "name = x\nplatform = tdx\nkernel = 6.9.0\nagent = 1\nagent_runtime_log = /run/log/x.log\n";
	char t[512];
	parse_ok(agent, &p);
	assert_string_equal(p.agent_crate_version, "");
	static const char *const good[] = { "0.5.11", "0.5.11|0.6.0", "any", "0.6.0-rc1|0.5.11|a.b" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(t, sizeof(t), "%sagent_version = 1\nagent_crate_version = %s\n", agent, good[i]);
		parse_ok(t, &p);
		assert_string_equal(p.agent_crate_version, good[i]);
	}
	static const char *const bad[] = { "|0.5.11", "0.5.11|", "0.5.11||0.6.0", "0.5 11", "v0.5.11;", "0.5.11|any!",
					   "0123456789012345678901234567890123456789012345678901234567890123" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(t, sizeof(t), "%sagent_version = 1\nagent_crate_version = %s\n", agent, bad[i]);
		parse_err(t, "agent_crate_version must be");
	}
	/* a version without the endpoint that answers it */
	snprintf(t, sizeof(t), "%sagent_crate_version = 0.5.6\n", agent);
	parse_err(t, "agent_crate_version set but agent_version = 0");
}

/* tdx_td_attributes / tdx_xfam: any (the default: not pinned) or a 64-bit 0x<hex> */
static void t_td_shape(void **s)
{
	(void)s;
	struct teeabi_profile p;
	parse_ok("name = x\nplatform = tdx\nkernel = 6.12.0\n", &p);
	assert_false(p.tdx_td_attributes_set || p.tdx_xfam_set);
	parse_ok("name = x\nplatform = tdx\nkernel = 6.12.0\ntdx_td_attributes = any\ntdx_xfam = any\n", &p);
	assert_false(p.tdx_td_attributes_set || p.tdx_xfam_set);
	parse_ok("name = x\nplatform = tdx\nkernel = 6.12.0\ntdx_td_attributes = 0x8000000010000000\ntdx_xfam = 0X602E7\n", &p);
	assert_true(p.tdx_td_attributes_set && p.tdx_xfam_set);
	assert_true(p.tdx_td_attributes == 0x8000000010000000ULL);
	assert_true(p.tdx_xfam == 0x602e7ULL);
	static const char *const bad[] = { "10000000", "0x", "0x10000000000000000", "0x1g", "-0x1", "", "ANY", "0x 1", "0x+1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char t[128];
		snprintf(t, sizeof(t), "name = x\nplatform = tdx\nkernel = 6.12.0\ntdx_xfam = %s\n", bad[i]);
		parse_err(t, "tdx_td_attributes / tdx_xfam must be any");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_parse_basic), cmocka_unit_test(t_parse_overrides), cmocka_unit_test(t_parse_errors),
		cmocka_unit_test(t_derive),      cmocka_unit_test(t_shipped),         cmocka_unit_test(t_load_errors),
		cmocka_unit_test(t_detect),      cmocka_unit_test(t_detect_vmpl),     cmocka_unit_test(t_dir),
		cmocka_unit_test(t_hostile),
		cmocka_unit_test(t_svsm),
		cmocka_unit_test(t_cache),
		cmocka_unit_test(t_agent),
		cmocka_unit_test(t_dev_mode),
		cmocka_unit_test(t_td_shape),
		cmocka_unit_test(t_agent_crate_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
