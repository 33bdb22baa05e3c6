/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_profile.c - the profile `key = value` text parser (lib/profile.c,
 * teeabi_profile_parse; teeabi_profile_load reads a file and hands its text to the same
 * parser).
 *
 * Input: profile text (cut at the first NUL byte, as a C string is).
 * Properties (the contract in teeabi/profile.h and profile.c):
 *   - the result is 0 or -1; on -1 the error text is a non-empty, NUL-terminated line
 *     that names "line N" or the profile, even in a small error buffer;
 *   - on 0: name is non-empty [A-Za-z0-9._-]; kernel starts MAJOR.MINOR and kver_major /
 *     kver_minor are those numbers; platform, enums, vmpl/floor (0..3) and sizes are in
 *     range; the profile satisfies every consistency rule of profile.c;
 *   - parsing is deterministic, and a profile written back out as explicit `key = value`
 *     lines for every key parses to the identical struct (round trip).
 */
#include "fuzz.h"
#include "profile_check.h"
#include "teeabi/profile.h"

static const char *const tdx_names[] = { "absent", "upstream", "dstack-mod", "intel" };
static const char *const tsm_names[] = { "none", "tdx_guest", "sev_guest" };
static const char *const ext_names[] = { "none", "ioctl", "sysfs" };
static const char *const product_names[] = { "milan", "genoa", "turin" };

/* dev_mode as a profile writes it: any, or octal with a leading 0 */
static const char *dev_mode_text(int m)
{
	static char t[8];
	if (m < 0)
		return "any";
	snprintf(t, sizeof(t), "0%o", (unsigned)m & 0777);
	return t;
}

/* Every key written out explicitly. */
static int write_profile(char *buf, size_t cap, const struct teeabi_profile *p)
{
	return snprintf(buf, cap,
			"name = %s\ndescription = %s\nplatform = %s\nos_id = %s\nos_version = %s\nkernel = %s\n"
			"tdx_guest = %s\ntdx_extend_index_check = %d\ntdx_report_errnos_616 = %d\n"
			"configfs_tsm = %d\ntsm_provider = %s\ntsm_precreate = %s\ntsm_visibility_611 = %d\n"
			"tsm_no_provider_enxio = %d\nprivlevel_floor = %u\ntsm_outblob_max = %zu\ntdx_quote_buf = %zu\n"
			"tdx_quote_status_check = %d\nsev_guest = %d\nsev_vmpl = %u\nsev_throttle = %d\n"
			"sev_vmpck_check_early = %d\nsev_sysfs_vmpl = %d\ntsm_mr = %d\nrtmr_extend = %s\n"
			"agent = %d\nagent_emit_event = %d\nagent_attest = %d\nagent_version = %d\nagent_evlog = %s\n"
			"agent_runtime_log = %s\nagent_log_first = %d\n"
			"snp_product = %s\nsnp_signer = %s\ndev_mode = %s\n",
			p->name, p->description, p->platform == TEEABI_PLAT_SNP ? "snp" : "tdx", p->os_id, p->os_version,
			p->kernel, tdx_names[p->tdx_guest], p->tdx_extend_index_check, p->tdx_report_errnos_616,
			p->configfs_tsm, tsm_names[p->tsm_provider], p->tsm_precreate, p->tsm_visibility_611,
			p->tsm_no_provider_enxio, p->privlevel_floor, p->tsm_outblob_max, p->tdx_quote_buf,
			p->tdx_quote_status_check, p->sev_guest, p->sev_vmpl, p->sev_throttle, p->sev_vmpck_check_early,
			p->sev_sysfs_vmpl, p->tsm_mr, ext_names[p->rtmr_extend], p->agent, p->agent_emit_event, p->agent_attest,
			p->agent_version, p->agent_evlog_stripped ? "stripped" : "full", p->agent_runtime_log, p->agent_log_first,
			product_names[p->snp_product], p->snp_vlek ? "vlek" : "vcek", dev_mode_text(p->dev_mode));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16 * 1024)
		return 0;
	char *text = malloc(size + 1);
	FZ_CHECK(text, "malloc");
	memcpy(text, data, size);
	text[size] = 0;

	static struct teeabi_profile p, p2, p3;
	char err[256], err2[256], small[12];
	memset(&p, 0x5a, sizeof(p));
	err[0] = 0;
	int rc = teeabi_profile_parse(text, &p, err, sizeof(err));
	FZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	memset(&p2, 0xa5, sizeof(p2));
	err2[0] = 0;
	int rc2 = teeabi_profile_parse(text, &p2, err2, sizeof(err2));
	FZ_CHECK(rc2 == rc && !strcmp(err, err2), "second parse differs: %d \"%s\" vs %d \"%s\"", rc, err, rc2, err2);
	int rc3 = teeabi_profile_parse(text, &p3, small, sizeof(small));
	FZ_CHECK(rc3 == rc, "small error buffer changed the verdict");
	if (rc) {
		FZ_CHECK(memchr(err, 0, sizeof(err)) && err[0], "empty error");
		FZ_CHECK(!strchr(err, '\n'), "multi-line error \"%s\"", err);
		FZ_CHECK(!strncmp(err, "line ", 5) || !strncmp(err, "profile", 7) || !strncmp(err, "out of memory", 13),
			 "error names no line: \"%s\"", err);
		FZ_CHECK(memchr(small, 0, sizeof(small)), "small error buffer overrun");
		free(text);
		return 0;
	}
	FZ_CHECK(!memcmp(&p, &p2, sizeof(p)), "two parses of the same text differ");
	check_profile(&p, true);

	static char out[4096];
	int n = write_profile(out, sizeof(out), &p);
	FZ_CHECK(n > 0 && (size_t)n < sizeof(out), "written profile too long");
	memset(&p3, 0x33, sizeof(p3));
	rc = teeabi_profile_parse(out, &p3, err, sizeof(err));
	FZ_CHECK(rc == 0, "written-out profile does not parse: %s\n%s", err, out);
	FZ_CHECK(!memcmp(&p, &p3, sizeof(p)), "written-out profile parses differently:\n%s", out);
	free(text);
	return 0;
}
