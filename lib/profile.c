/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.c - profiles: `key = value` files, flags derived from the kernel release
 * (docs/kernel-abi.md "Version deltas"), explicit keys override; image detection.
 *
 * Parsing is strict: an unknown key, a repeated key, a malformed line or a bad value is
 * an error naming the line ("<file>:<line>: ..."). Derivation is the only place that
 * compares kernel versions; tests and models read the resulting flags.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/file.h"
#include "teeabi/profile.h"

#define PROFILE_TEXT_MAX (64 * 1024)

/* ------------------------------------------------------------------ helpers */

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "6.9.0-dstack" -> 6, 9. Returns 0 or -1. */
static int parse_kver(const char *s, int *maj, int *min)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	long a = strtol(s, &end, 10);
	if (errno || end == s || *end != '.' || a < 0 || a > 1000)
		return -1;
	const char *q = end + 1;
	if (*q < '0' || *q > '9')
		return -1;
	long b = strtol(q, &end, 10);
	if (errno || end == q || b < 0 || b > 1000)
		return -1;
	if (*end && *end != '.' && *end != '-' && *end != '+' && *end != '_')
		return -1;
	*maj = (int)a;
	*min = (int)b;
	return 0;
}

static int kv(int maj, int min) { return maj * 1000 + min; }
static int pkv(const struct teeabi_profile *p) { return kv(p->kver_major, p->kver_minor); }

const char *teeabi_tdx_flavour_name(enum teeabi_tdx_flavour f)
{
	switch (f) {
	case TEEABI_TDX_ABSENT: return "absent";
	case TEEABI_TDX_UPSTREAM: return "upstream";
	case TEEABI_TDX_DSTACK_MOD: return "dstack-mod";
	case TEEABI_TDX_INTEL: return "intel";
	}
	return "?";
}

const char *teeabi_tsm_provider_name(enum teeabi_tsm_provider p)
{
	switch (p) {
	case TEEABI_TSM_NONE: return "none";
	case TEEABI_TSM_TDX: return "tdx_guest";
	case TEEABI_TSM_SEV: return "sev_guest";
	}
	return "?";
}

/* ------------------------------------------------------------------ derivation */

/* The SVSM attributes of configfs-tsm (kernel-abi.md §2.6, §3.2): 6.11+ on the sev_guest
 * provider, and only when the guest runs under an SVSM, i.e. above VMPL0. A function of
 * three other fields (a profile cannot contradict it), so it is recomputed after every
 * explicit key and is not a key itself. */
static void derive_svsm(struct teeabi_profile *p)
{
	p->tsm_svsm = p->tsm_visibility_611 && p->tsm_provider == TEEABI_TSM_SEV && p->sev_vmpl != 0;
}

/* Interface presence for a generic kernel of the profile's platform, then every
 * version-dependent behaviour flag. */
void teeabi_profile_derive(struct teeabi_profile *p)
{
	int maj = 0, min = 0;
	if (parse_kver(p->kernel, &maj, &min) == 0) {
		p->kver_major = maj;
		p->kver_minor = min;
	}
	int v = pkv(p);
	bool tdx = p->platform != TEEABI_PLAT_SNP;

	p->tdx_guest = tdx && v >= kv(6, 2) ? TEEABI_TDX_UPSTREAM : TEEABI_TDX_ABSENT;
	p->tdx_extend_index_check = false;
	p->tdx_report_errnos_616 = v >= kv(6, 16);
	/* tdx_misc_dev and the sev-guest miscdevice set no .mode (tdx-guest.c, sev-guest.c), so
	 * misc_devnode() leaves it and devtmpfs makes the node 0600 root:root
	 * (drivers/base/devtmpfs.c, devtmpfs_create_node(): mode 0 -> 0600); udev rules then
	 * often widen it to a group (0660), so a kernel line fixes nothing: only an image's
	 * profile does (dstack: no udev rule, dstack-os.md §1.2 "root-owned") */
	p->dev_mode = -1;

	p->configfs_tsm = v >= kv(6, 7);
	p->tsm_provider = !p->configfs_tsm ? TEEABI_TSM_NONE : tdx ? TEEABI_TSM_TDX : TEEABI_TSM_SEV;
	p->tsm_precreate[0] = 0;
	p->tsm_visibility_611 = v >= kv(6, 11);
	p->tsm_no_provider_enxio = v >= kv(6, 16);
	p->privlevel_floor = v >= kv(6, 11) ? p->sev_vmpl : 0;
	p->tsm_outblob_max = v >= kv(6, 16) ? (size_t)16 << 20 : (size_t)32 << 10;
	p->tdx_quote_buf = v >= kv(7, 0) ? (size_t)128 << 10 : (size_t)8 << 10;
	p->tdx_quote_status_check = v >= kv(7, 0);

	p->sev_guest = !tdx;
	p->sev_throttle = v >= kv(6, 3);
	/* VMPCK-disabled ENOTTY before the command dispatch: snp_guest_ioctl() of
	 * drivers/virt/coco/sev-guest/sev-guest.c checks is_vmpck_empty() right after the
	 * msg_version check up to 6.12 (read in the 6.12 source); from 6.13 ("virt: sev-guest:
	 * Reduce the scope of SNP command mutex") the check sits in snp_send_guest_request(),
	 * after each command's argument checks (7.2 and 7.3 sources: not in snp_guest_ioctl). */
	p->sev_vmpck_check_early = v < kv(6, 13);
	p->sev_sysfs_vmpl = !tdx && v >= kv(6, 11);

	p->tsm_mr = v >= kv(6, 16) && p->tdx_guest == TEEABI_TDX_UPSTREAM;
	p->rtmr_extend = p->tsm_mr ? TEEABI_RTMR_EXTEND_SYSFS : TEEABI_RTMR_EXTEND_NONE;
	derive_svsm(p);
}

/* ------------------------------------------------------------------ values */

static int v_bool(const char *s, bool *out)
{
	if (!strcmp(s, "0")) { *out = false; return 0; }
	if (!strcmp(s, "1")) { *out = true; return 0; }
	return -1;
}

/* Decimal with optional K/M/G suffix (binary units); overflow-checked. */
static int v_size(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	const char *q = s;
	if (*q < '0' || *q > '9')
		return -1;
	for (; *q >= '0' && *q <= '9'; q++) {
		unsigned d = (unsigned)(*q - '0');
		if (n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	unsigned shift = 0;
	if (*q == 'K' || *q == 'k') shift = 10, q++;
	else if (*q == 'M') shift = 20, q++;
	else if (*q == 'G') shift = 30, q++;
	if (*q)
		return -1;
	if (shift && n > (UINT64_MAX >> shift))
		return -1;
	n <<= shift;
	if (n > max)
		return -1;
	*out = n;
	return 0;
}

static int v_str(const char *s, char *dst, size_t cap)
{
	size_t l = strlen(s);
	if (l >= cap)
		return -1;
	memcpy(dst, s, l + 1);
	return 0;
}

/* Names: [A-Za-z0-9._-]+ (they become file names and entry names). */
static int v_name(const char *s, char *dst, size_t cap)
{
	if (!teeabi_name_ok(s))
		return -1;
	return v_str(s, dst, cap);
}

/* ------------------------------------------------------------------ keys */

enum key_id {
	K_NAME, K_DESCRIPTION, K_PLATFORM, K_OS_ID, K_OS_VERSION, K_KERNEL,
	K_TDX_GUEST, K_TDX_EXTEND_INDEX_CHECK, K_TDX_REPORT_ERRNOS_616,
	K_CONFIGFS_TSM, K_TSM_PROVIDER, K_TSM_PRECREATE, K_TSM_VISIBILITY_611, K_TSM_NO_PROVIDER_ENXIO,
	K_PRIVLEVEL_FLOOR, K_TSM_OUTBLOB_MAX, K_TDX_QUOTE_BUF, K_TDX_QUOTE_STATUS_CHECK,
	K_SEV_GUEST, K_SEV_VMPL, K_SEV_THROTTLE, K_SEV_VMPCK_CHECK_EARLY, K_SEV_SYSFS_VMPL,
	K_TSM_MR, K_RTMR_EXTEND, K_SNP_PRODUCT, K_SNP_SIGNER, K_SNP_DEBUG,
	K_AGENT, K_AGENT_EMIT_EVENT, K_AGENT_ATTEST, K_AGENT_VERSION, K_AGENT_EVLOG, K_AGENT_RUNTIME_LOG,
	K_AGENT_LOG_FIRST, K_DEV_MODE,
	K_TDX_TD_ATTRIBUTES, K_TDX_XFAM, K_AGENT_CRATE_VERSION,
	K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"name", "description", "platform", "os_id", "os_version", "kernel",
	"tdx_guest", "tdx_extend_index_check", "tdx_report_errnos_616",
	"configfs_tsm", "tsm_provider", "tsm_precreate", "tsm_visibility_611", "tsm_no_provider_enxio",
	"privlevel_floor", "tsm_outblob_max", "tdx_quote_buf", "tdx_quote_status_check",
	"sev_guest", "sev_vmpl", "sev_throttle", "sev_vmpck_check_early", "sev_sysfs_vmpl",
	"tsm_mr", "rtmr_extend", "snp_product", "snp_signer", "snp_debug",
	"agent", "agent_emit_event", "agent_attest", "agent_version", "agent_evlog", "agent_runtime_log",
	"agent_log_first", "dev_mode",
	"tdx_td_attributes", "tdx_xfam", "agent_crate_version",
};

static int key_lookup(const char *k)
{
	for (int i = 0; i < K_COUNT; i++)
		if (!strcmp(key_names[i], k))
			return i;
	return -1;
}

/* Apply one key; returns 0 or -1 with *why set. */
static int apply(struct teeabi_profile *p, int k, const char *v, const char **why)
{
	uint64_t n;
	bool b;
	*why = "bad value";
	switch (k) {
	case K_NAME:
		*why = "name must be [A-Za-z0-9._-], at most 63 characters";
		return v_name(v, p->name, sizeof(p->name));
	case K_DESCRIPTION:
		*why = "description too long (max 199)";
		return v_str(v, p->description, sizeof(p->description));
	case K_PLATFORM:
		*why = "platform must be tdx or snp";
		if (!strcmp(v, "tdx")) p->platform = TEEABI_PLAT_TDX;
		else if (!strcmp(v, "snp")) p->platform = TEEABI_PLAT_SNP;
		else return -1;
		return 0;
	case K_OS_ID:
		*why = "os_id too long or not a name";
		if (!*v) { p->os_id[0] = 0; return 0; }
		return v_name(v, p->os_id, sizeof(p->os_id));
	case K_OS_VERSION:
		*why = "os_version too long or not a version";
		if (!*v) { p->os_version[0] = 0; return 0; }
		return v_name(v, p->os_version, sizeof(p->os_version));
	case K_KERNEL: {
		int a, c;
		*why = "kernel must be a release like 6.9.0-dstack (MAJOR.MINOR...)";
		if (parse_kver(v, &a, &c) || strchr(v, ' ') || strchr(v, '\t'))
			return -1;
		if (v_str(v, p->kernel, sizeof(p->kernel)))
			return -1;
		p->kver_major = a;
		p->kver_minor = c;
		return 0;
	}
	case K_TDX_GUEST:
		*why = "tdx_guest must be absent, upstream, dstack-mod or intel";
		if (!strcmp(v, "absent")) p->tdx_guest = TEEABI_TDX_ABSENT;
		else if (!strcmp(v, "upstream")) p->tdx_guest = TEEABI_TDX_UPSTREAM;
		else if (!strcmp(v, "dstack-mod")) p->tdx_guest = TEEABI_TDX_DSTACK_MOD;
		else if (!strcmp(v, "intel")) p->tdx_guest = TEEABI_TDX_INTEL;
		else return -1;
		return 0;
	case K_TSM_PROVIDER:
		*why = "tsm_provider must be none, tdx_guest or sev_guest";
		if (!strcmp(v, "none")) p->tsm_provider = TEEABI_TSM_NONE;
		else if (!strcmp(v, "tdx_guest")) p->tsm_provider = TEEABI_TSM_TDX;
		else if (!strcmp(v, "sev_guest")) p->tsm_provider = TEEABI_TSM_SEV;
		else return -1;
		return 0;
	case K_TSM_PRECREATE:
		*why = "tsm_precreate must be an entry name ([A-Za-z0-9._-], max 63) or empty";
		if (!*v) { p->tsm_precreate[0] = 0; return 0; }
		return v_name(v, p->tsm_precreate, sizeof(p->tsm_precreate));
	case K_RTMR_EXTEND:
		*why = "rtmr_extend must be none, ioctl or sysfs";
		if (!strcmp(v, "none")) p->rtmr_extend = TEEABI_RTMR_EXTEND_NONE;
		else if (!strcmp(v, "ioctl")) p->rtmr_extend = TEEABI_RTMR_EXTEND_IOCTL;
		else if (!strcmp(v, "sysfs")) p->rtmr_extend = TEEABI_RTMR_EXTEND_SYSFS;
		else return -1;
		return 0;
	case K_SNP_PRODUCT:
		*why = "snp_product must be milan, genoa or turin";
		if (!strcmp(v, "milan")) p->snp_product = TEEABI_SNP_MILAN;
		else if (!strcmp(v, "genoa")) p->snp_product = TEEABI_SNP_GENOA;
		else if (!strcmp(v, "turin")) p->snp_product = TEEABI_SNP_TURIN;
		else return -1;
		return 0;
	case K_SNP_SIGNER:
		*why = "snp_signer must be vcek or vlek";
		if (!strcmp(v, "vcek")) p->snp_vlek = false;
		else if (!strcmp(v, "vlek")) p->snp_vlek = true;
		else return -1;
		return 0;
	case K_SNP_DEBUG:
		*why = "snp_debug must be 0, 1 or any";
		if (!strcmp(v, "any")) p->snp_debug = -1;
		else if (!strcmp(v, "0")) p->snp_debug = 0;
		else if (!strcmp(v, "1")) p->snp_debug = 1;
		else return -1;
		return 0;
	case K_AGENT_EVLOG:
		*why = "agent_evlog must be full or stripped";
		if (!strcmp(v, "full")) p->agent_evlog_stripped = false;
		else if (!strcmp(v, "stripped")) p->agent_evlog_stripped = true;
		else return -1;
		return 0;
	case K_AGENT_RUNTIME_LOG:
		*why = "agent_runtime_log must be an absolute path without blanks (max 95), or empty";
		if (!*v) { p->agent_runtime_log[0] = 0; return 0; }
		if (*v != '/' || strpbrk(v, " \t") || strstr(v, "/../"))
			return -1;
		return v_str(v, p->agent_runtime_log, sizeof(p->agent_runtime_log));
	case K_PRIVLEVEL_FLOOR:
		*why = "privlevel_floor must be 0..3";
		if (v_size(v, 3, &n) || strpbrk(v, "KkMG")) return -1;
		p->privlevel_floor = (unsigned)n;
		return 0;
	case K_AGENT_CRATE_VERSION: {
		*why = "agent_crate_version must be any, or versions ([0-9A-Za-z.-]) separated by | (max 63)";
		if (strlen(v) >= sizeof(p->agent_crate_version))
			return -1;
		if (strcmp(v, "any")) {
			/* every item non-empty, of version characters */
			for (const char *q = v; *q; q++)
				if (!(isalnum((unsigned char)*q) || *q == '.' || *q == '-' || (*q == '|' && q > v && q[1] && q[1] != '|')))
					return -1;
			if (*v == '|')
				return -1;
		}
		return v_str(v, p->agent_crate_version, sizeof(p->agent_crate_version));
	}
	case K_DEV_MODE: {
		*why = "dev_mode must be any, or octal permission bits 00..0777 with a leading 0 (0600)";
		if (!strcmp(v, "any")) { p->dev_mode = -1; return 0; }
		char *end;
		errno = 0;
		unsigned long m = strtoul(v, &end, 8);
		if (v[0] != '0' || !v[1] || *end || errno || m > 0777) return -1;
		p->dev_mode = (int)m;
		return 0;
	}
	case K_TDX_TD_ATTRIBUTES:
	case K_TDX_XFAM: {
		*why = "tdx_td_attributes / tdx_xfam must be any, or a 64-bit value 0x<hex> (1..16 digits)";
		bool set = strcmp(v, "any") != 0;
		unsigned long long x = 0;
		if (set) {
			size_t l = strlen(v);
			if (l < 3 || l > 18 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') || strspn(v + 2, "0123456789abcdefABCDEF") != l - 2)
				return -1;
			x = strtoull(v + 2, NULL, 16);
		}
		if (k == K_TDX_TD_ATTRIBUTES) { p->tdx_td_attributes_set = set; p->tdx_td_attributes = x; }
		else { p->tdx_xfam_set = set; p->tdx_xfam = x; }
		return 0;
	}
	case K_SEV_VMPL:
		*why = "sev_vmpl must be 0..3";
		if (v_size(v, 3, &n) || strpbrk(v, "KkMG")) return -1;
		p->sev_vmpl = (unsigned)n;
		return 0;
	case K_TSM_OUTBLOB_MAX:
	case K_TDX_QUOTE_BUF:
		*why = "size must be a decimal byte count (K/M/G suffix allowed), 1 .. 1G";
		if (v_size(v, (uint64_t)1 << 30, &n) || n == 0) return -1;
		if (k == K_TSM_OUTBLOB_MAX) p->tsm_outblob_max = (size_t)n;
		else p->tdx_quote_buf = (size_t)n;
		return 0;
	default:
		break;
	}
	*why = "must be 0 or 1";
	if (v_bool(v, &b))
		return -1;
	switch (k) {
	case K_TDX_EXTEND_INDEX_CHECK: p->tdx_extend_index_check = b; break;
	case K_TDX_REPORT_ERRNOS_616: p->tdx_report_errnos_616 = b; break;
	case K_CONFIGFS_TSM: p->configfs_tsm = b; break;
	case K_TSM_VISIBILITY_611: p->tsm_visibility_611 = b; break;
	case K_TSM_NO_PROVIDER_ENXIO: p->tsm_no_provider_enxio = b; break;
	case K_TDX_QUOTE_STATUS_CHECK: p->tdx_quote_status_check = b; break;
	case K_SEV_GUEST: p->sev_guest = b; break;
	case K_SEV_THROTTLE: p->sev_throttle = b; break;
	case K_SEV_VMPCK_CHECK_EARLY: p->sev_vmpck_check_early = b; break;
	case K_SEV_SYSFS_VMPL: p->sev_sysfs_vmpl = b; break;
	case K_TSM_MR: p->tsm_mr = b; break;
	case K_AGENT: p->agent = b; break;
	case K_AGENT_EMIT_EVENT: p->agent_emit_event = b; break;
	case K_AGENT_ATTEST: p->agent_attest = b; break;
	case K_AGENT_VERSION: p->agent_version = b; break;
	case K_AGENT_LOG_FIRST: p->agent_log_first = b; break;
	default: return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ parser */

struct kvline {
	int key;
	int line;
	char *val;
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r'))
		s[--l] = 0;
	return s;
}

static int parse_text(const char *text, const char *where, struct teeabi_profile *p, char *err, size_t errlen)
{
	struct kvline kl[K_COUNT];
	int nkl = 0, rc = -1;
	char prefix[300];
	size_t tl = strlen(text);

	if (where)
		snprintf(prefix, sizeof(prefix), "%s:", where);
	else
		snprintf(prefix, sizeof(prefix), "line ");
	if (tl > PROFILE_TEXT_MAX) {
		seterr(err, errlen, "%s: profile text too long (%zu bytes, max %d)", where ? where : "profile", tl, PROFILE_TEXT_MAX);
		return -1;
	}
	char *buf = malloc(tl + 1);
	if (!buf) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	memcpy(buf, text, tl + 1);

	int lineno = 0;
	char *save = buf;
	while (save) {
		char *line = save;
		char *nl = strchr(line, '\n');
		if (nl) {
			*nl = 0;
			save = nl + 1;
		} else {
			save = NULL;
		}
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			seterr(err, errlen, "%s%d: expected `key = value`, got \"%.40s\"", prefix, lineno, s);
			goto out;
		}
		*eq = 0;
		char *key = trim(s), *val = trim(eq + 1);
		int k = key_lookup(key);
		if (k < 0) {
			seterr(err, errlen, "%s%d: unknown key \"%.40s\"", prefix, lineno, key);
			goto out;
		}
		for (int i = 0; i < nkl; i++)
			if (kl[i].key == k) {
				seterr(err, errlen, "%s%d: key %s repeated (first on line %d)", prefix, lineno, key, kl[i].line);
				goto out;
			}
		kl[nkl].key = k;
		kl[nkl].line = lineno;
		kl[nkl].val = val;
		nkl++;
	}

	memset(p, 0, sizeof(*p));
	p->platform = TEEABI_PLAT_TDX;
	const char *why;
	/* kernel, platform and sev_vmpl first: derivation depends on them */
	static const int first[] = { K_KERNEL, K_PLATFORM, K_SEV_VMPL };
	for (size_t f = 0; f < sizeof(first) / sizeof(first[0]); f++)
		for (int i = 0; i < nkl; i++)
			if (kl[i].key == first[f] && apply(p, kl[i].key, kl[i].val, &why)) {
				seterr(err, errlen, "%s%d: %s: %s (got \"%.40s\")", prefix, kl[i].line, key_names[kl[i].key], why, kl[i].val);
				goto out;
			}
	bool has[K_COUNT] = { false };
	for (int i = 0; i < nkl; i++)
		has[kl[i].key] = true;
	if (!has[K_NAME]) {
		seterr(err, errlen, "%s missing required key `name`", where ? where : "profile:");
		goto out;
	}
	if (!has[K_KERNEL]) {
		seterr(err, errlen, "%s missing required key `kernel`", where ? where : "profile:");
		goto out;
	}
	teeabi_profile_derive(p);
	for (int i = 0; i < nkl; i++)
		if (apply(p, kl[i].key, kl[i].val, &why)) {
			seterr(err, errlen, "%s%d: %s: %s (got \"%.40s\")", prefix, kl[i].line, key_names[kl[i].key], why, kl[i].val);
			goto out;
		}
	/* Keys that follow from explicit ones unless given themselves. */
	if (!has[K_TSM_PROVIDER] && !p->configfs_tsm)
		p->tsm_provider = TEEABI_TSM_NONE;
	if (!has[K_TSM_PROVIDER] && p->configfs_tsm && has[K_TDX_GUEST] && p->platform == TEEABI_PLAT_TDX &&
	    p->tdx_guest != TEEABI_TDX_UPSTREAM)
		p->tsm_provider = TEEABI_TSM_NONE; /* out-of-tree drivers register no provider */
	if (!has[K_TSM_MR] && p->tdx_guest != TEEABI_TDX_UPSTREAM)
		p->tsm_mr = false;
	if (!has[K_RTMR_EXTEND])
		p->rtmr_extend = p->tsm_mr ? TEEABI_RTMR_EXTEND_SYSFS
				 : (p->tdx_guest == TEEABI_TDX_DSTACK_MOD || p->tdx_guest == TEEABI_TDX_INTEL) ? TEEABI_RTMR_EXTEND_IOCTL
				 : TEEABI_RTMR_EXTEND_NONE;
	derive_svsm(p);

	/* Consistency: a profile that contradicts itself is a bad data file. */
	const char *bad = NULL;
	if (p->tsm_provider != TEEABI_TSM_NONE && !p->configfs_tsm)
		bad = "tsm_provider set but configfs_tsm = 0";
	else if (p->tsm_precreate[0] && p->tsm_provider == TEEABI_TSM_NONE)
		bad = "tsm_precreate set but no tsm_provider";
	else if (p->tsm_provider == TEEABI_TSM_TDX && p->tdx_guest == TEEABI_TDX_ABSENT)
		bad = "tsm_provider = tdx_guest but tdx_guest = absent";
	else if (p->tsm_provider == TEEABI_TSM_SEV && !p->sev_guest)
		bad = "tsm_provider = sev_guest but sev_guest = 0";
	else if (p->rtmr_extend == TEEABI_RTMR_EXTEND_SYSFS && !p->tsm_mr)
		bad = "rtmr_extend = sysfs but tsm_mr = 0";
	else if (p->rtmr_extend == TEEABI_RTMR_EXTEND_IOCTL && p->tdx_guest != TEEABI_TDX_DSTACK_MOD && p->tdx_guest != TEEABI_TDX_INTEL)
		bad = "rtmr_extend = ioctl needs tdx_guest = dstack-mod or intel";
	else if (p->tsm_mr && p->tdx_guest == TEEABI_TDX_ABSENT)
		bad = "tsm_mr = 1 but tdx_guest = absent";
	else if (p->agent && !p->agent_runtime_log[0])
		bad = "agent = 1 needs agent_runtime_log";
	else if (!p->agent && (p->agent_emit_event || p->agent_attest || p->agent_version))
		bad = "agent_emit_event, agent_attest or agent_version set but agent = 0";
	else if (!p->agent_version && p->agent_crate_version[0])
		bad = "agent_crate_version set but agent_version = 0 (no Version endpoint)";
	else if (p->tdx_extend_index_check && p->tdx_guest != TEEABI_TDX_DSTACK_MOD && p->tdx_guest != TEEABI_TDX_INTEL)
		bad = "tdx_extend_index_check = 1 needs an EXTEND_RTMR ioctl (dstack-mod or intel)";
	else if (p->tdx_guest == TEEABI_TDX_ABSENT && !p->sev_guest && !p->configfs_tsm)
		bad = "profile has no attestation interface at all";
	else if (p->sev_sysfs_vmpl && p->platform != TEEABI_PLAT_SNP)
		bad = "sev_sysfs_vmpl = 1 but platform is not snp (the kernel makes it for SEV-SNP guests only)";
	if (bad) {
		seterr(err, errlen, "%s %s", where ? where : "profile:", bad);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

int teeabi_profile_parse(const char *text, struct teeabi_profile *p, char *err, size_t errlen)
{
	if (!text || !p) {
		seterr(err, errlen, "no profile text");
		return -1;
	}
	return parse_text(text, NULL, p, err, errlen);
}

/* A profile, fault or image file: a regular file only (a FIFO would block the read). Up to
 * cap bytes of path; *st gets the fstat of the file that was read. */
static int read_small(const char *path, char *buf, size_t cap, size_t *len, struct stat *st)
{
	int r = 0;
	FILE *f = teeabi_fopen_regular(path, &r);
	if (!f)
		return r;
	size_t n = fread(buf, 1, cap, f);
	int e = ferror(f) ? EIO : 0;
	if (!e && fstat(fileno(f), st))
		e = errno;
	fclose(f);
	if (e)
		return -e;
	*len = n;
	return 0;
}

/* ------------------------------------------------------------------ cache
 *
 * Detection tries a handful of profiles on every call, and a fuzz target calls it for every
 * input: each profile file is read and parsed once, then served from memory while the file
 * is the same file. An entry is keyed on the path (so another TEEABI_PROFILE_DIR is another
 * key) and kept with the identity of the file it was parsed from (device, inode, size,
 * mtime, ctime, as fstat gave them on the open file); a load stats the path and uses the
 * entry only when that identity is unchanged, so a file that was replaced, renamed over,
 * rewritten or touched is read again. Timestamps are coarse (a few ms): a file changed
 * twice within one tick, with the same size, could keep its identity, so only files whose
 * ctime was at least 2 s old when they were read are cached (a profile a test has just
 * written is always read from disk). A file that does not exist is simply not there at the
 * stat, which costs no read either. Parse errors are not cached. The directory listing is
 * cached the same way (its entries change only with the directory's mtime and ctime).
 */
#define PCACHE_SLOTS 64

struct file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
};

struct pcache_entry {
	char *path;
	struct file_id id;
	struct teeabi_profile p;
};

static pthread_mutex_t pcache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pcache_entry *pcache[PCACHE_SLOTS];
static unsigned pcache_next;

static struct file_id file_id_of(const struct stat *st)
{
	return (struct file_id){ st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_ctim };
}

static bool file_id_eq(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
	       a->mtim.tv_nsec == b->mtim.tv_nsec && a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/* Changed at least 2 s ago: a later change gives it another ctime. */
static bool settled(const struct stat *st)
{
	struct timespec now;
	if (clock_gettime(CLOCK_REALTIME, &now))
		return false;
	return st->st_ctim.tv_sec + 2 < now.tv_sec;
}

static bool pcache_get(const char *path, const struct stat *st, struct teeabi_profile *p)
{
	struct file_id id = file_id_of(st);
	bool hit = false;
	pthread_mutex_lock(&pcache_lock);
	for (unsigned i = 0; i < PCACHE_SLOTS && !hit; i++) {
		struct pcache_entry *e = pcache[i];
		if (e && file_id_eq(&e->id, &id) && !strcmp(e->path, path)) {
			*p = e->p;
			hit = true;
		}
	}
	pthread_mutex_unlock(&pcache_lock);
	return hit;
}

static void pcache_put(const char *path, const struct stat *st, const struct teeabi_profile *p)
{
	if (!settled(st))
		return;
	struct pcache_entry *e = malloc(sizeof(*e));
	char *dup = strdup(path);
	if (!e || !dup) {
		free(e);
		free(dup);
		return;
	}
	*e = (struct pcache_entry){ dup, file_id_of(st), *p };
	pthread_mutex_lock(&pcache_lock);
	/* one entry per path: a stale one is replaced where it is */
	unsigned slot = pcache_next;
	for (unsigned i = 0; i < PCACHE_SLOTS; i++)
		if (pcache[i] && !strcmp(pcache[i]->path, path)) {
			slot = i;
			break;
		}
	if (slot == pcache_next)
		pcache_next = (pcache_next + 1) % PCACHE_SLOTS;
	struct pcache_entry *old = pcache[slot];
	pcache[slot] = e;
	pthread_mutex_unlock(&pcache_lock);
	if (old) {
		free(old->path);
		free(old);
	}
}

int teeabi_profile_load(const char *dir, const char *name, struct teeabi_profile *p, char *err, size_t errlen)
{
	char path[PATH_MAX], nm[64];
	if (!dir || !name || !p) {
		seterr(err, errlen, "no profile name");
		return -1;
	}
	if (v_name(name, nm, sizeof(nm))) {
		seterr(err, errlen, "invalid profile name \"%.64s\"", name);
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.conf", dir, name) >= sizeof(path)) {
		seterr(err, errlen, "profile path too long");
		return -1;
	}
	struct stat st;
	if (stat(path, &st)) {
		/* not there (or not reachable): the error the open would give, without it */
		int e = errno;
		seterr(err, errlen, "%s: %s%s", path, strerror(e), e == ENOENT ? " (unknown profile)" : "");
		return -1;
	}
	if (pcache_get(path, &st, p))
		return 0; /* the name was checked against the file's when it was cached */
	char *text = malloc(PROFILE_TEXT_MAX + 2);
	size_t len = 0;
	if (!text) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	int r = read_small(path, text, PROFILE_TEXT_MAX + 1, &len, &st);
	if (r) {
		seterr(err, errlen, "%s: %s%s", path, teeabi_open_strerror(r), r == -ENOENT ? " (unknown profile)" : "");
		free(text);
		return -1;
	}
	if (len > PROFILE_TEXT_MAX) {
		seterr(err, errlen, "%s: file too large (max %d bytes)", path, PROFILE_TEXT_MAX);
		free(text);
		return -1;
	}
	text[len] = 0;
	if (strlen(text) != len) {
		seterr(err, errlen, "%s: contains a NUL byte", path);
		free(text);
		return -1;
	}
	r = parse_text(text, path, p, err, errlen);
	free(text);
	if (r)
		return -1;
	if (strcmp(p->name, name)) {
		seterr(err, errlen, "%s: name = %s does not match the file name", path, p->name);
		return -1;
	}
	pcache_put(path, &st, p);
	return 0;
}

/* ------------------------------------------------------------------ directory */

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of this program, read from /proc/self/exe once (a detection asks for the
 * profile directory each time; the executable does not change under a running process). */
static char exe_dir[PATH_MAX];
static pthread_once_t exe_dir_once = PTHREAD_ONCE_INIT;

static void find_exe_dir(void)
{
	ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof(exe_dir) - 1);
	exe_dir[n > 0 ? n : 0] = 0;
	char *sl = strrchr(exe_dir, '/');
	if (sl)
		*sl = 0;
	else
		exe_dir[0] = 0;
}

const char *teeabi_profile_dir(void)
{
	static __thread char buf[PATH_MAX];
	const char *e = getenv("TEEABI_PROFILE_DIR");
	if (e && *e && strlen(e) < sizeof(buf)) {
		snprintf(buf, sizeof(buf), "%s", e);
		return buf;
	}
	pthread_once(&exe_dir_once, find_exe_dir);
	/* the build tree (build/<dir>/x), then the bundle and install layout (<root>/{bin,suites}/x
	 * beside <root>/profiles) */
	static const char *const rel[] = { "../../mocks/profiles", "../profiles" };
	for (size_t i = 0; exe_dir[0] && i < sizeof(rel) / sizeof(rel[0]); i++)
		if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", exe_dir, rel[i]) < sizeof(buf) && is_dir(buf))
			return buf;
	if (is_dir("mocks/profiles")) {
		snprintf(buf, sizeof(buf), "mocks/profiles");
		return buf;
	}
	snprintf(buf, sizeof(buf), "/usr/share/teeabi/profiles");
	return buf;
}

static int cmp_names(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

/* The last directory listed (see "cache" above): its path, identity and sorted names. */
#define LIST_CACHE_MAX 256
static struct {
	char *path;
	struct file_id id;
	int n;
	char names[LIST_CACHE_MAX][64];
} *list_cache;

static int list_dir(const char *dir, char (*names)[64], int max);

int teeabi_profile_list(const char *dir, char (*names)[64], int max)
{
	struct stat st;
	if (!dir || max < 0 || stat(dir, &st))
		return list_dir(dir, names, max);
	struct file_id id = file_id_of(&st);
	int n = -1;
	pthread_mutex_lock(&pcache_lock);
	if (list_cache && list_cache->n <= max && file_id_eq(&list_cache->id, &id) && !strcmp(list_cache->path, dir)) {
		n = list_cache->n;
		memcpy(names, list_cache->names, (size_t)n * sizeof(names[0]));
	}
	pthread_mutex_unlock(&pcache_lock);
	if (n >= 0)
		return n;
	n = list_dir(dir, names, max);
	/* complete listings only (fewer names than max), of a directory unchanged while read */
	struct stat after;
	if (n < 0 || n >= max || n > LIST_CACHE_MAX || !settled(&st) || stat(dir, &after))
		return n;
	struct file_id id_after = file_id_of(&after);
	if (!file_id_eq(&id, &id_after))
		return n;
	pthread_mutex_lock(&pcache_lock);
	if (!list_cache)
		list_cache = calloc(1, sizeof(*list_cache));
	char *dup = list_cache ? strdup(dir) : NULL;
	if (dup) {
		free(list_cache->path);
		list_cache->path = dup;
		list_cache->id = id;
		list_cache->n = n;
		memcpy(list_cache->names, names, (size_t)n * sizeof(names[0]));
	}
	pthread_mutex_unlock(&pcache_lock);
	return n;
}

static int list_dir(const char *dir, char (*names)[64], int max)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;
	int n = 0;
	if (!d || max < 0)
		return d ? (closedir(d), -1) : -1;
	while ((de = readdir(d)) != NULL && n < max) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".conf") || l - 5 >= 64 || de->d_name[0] == '.')
			continue;
		memcpy(names[n], de->d_name, l - 5);
		names[n][l - 5] = 0;
		n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	return n;
}

/* ------------------------------------------------------------------ detection */

/* KEY=value from os-release text (quotes stripped). */
static void osr_get(const char *text, const char *key, char *out, size_t len)
{
	size_t kl = strlen(key);
	out[0] = 0;
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) || p[kl] != '=')
			continue;
		const char *v = p + kl + 1;
		const char *e = strchr(v, '\n');
		size_t l = e ? (size_t)(e - v) : strlen(v);
		while (l && (v[l - 1] == '\r' || v[l - 1] == ' '))
			l--;
		if (l >= 2 && (v[0] == '"' || v[0] == '\'') && v[l - 1] == v[0]) {
			v++;
			l -= 2;
		}
		if (l >= len)
			l = len - 1;
		memcpy(out, v, l);
		out[l] = 0;
		return;
	}
}

/* Text from the image goes into profile names, descriptions and error lines: bytes outside
 * printable ASCII become '?'. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static int read_under(void *ctx, const char *rel, char *buf, size_t cap)
{
	char path[PATH_MAX];
	size_t len = 0;
	struct stat st;
	snprintf(path, sizeof(path), "%s%s", (const char *)ctx, rel);
	if (cap == 0 || read_small(path, buf, cap - 1, &len, &st))
		return -1;
	buf[len] = 0;
	return 0;
}

static bool exists_under(void *ctx, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%s%s", (const char *)ctx, rel);
	return stat(path, &st) == 0;
}

/* The VMPL an SNP guest runs at, from /sys/devices/system/cpu/sev/vmpl (6.11+, SEV-SNP
 * guests only; the kernel's vmpl_show() prints "%d\n"). -1 when absent or not 0..3. */
static int running_vmpl(const struct teeabi_detect_src *src)
{
	char buf[16];
	if (src->read(src->ctx, "/sys/devices/system/cpu/sev/vmpl", buf, sizeof(buf)))
		return -1;
	if (buf[0] < '0' || buf[0] > '3' || (buf[1] && strcmp(buf + 1, "\n")))
		return -1;
	return buf[0] - '0';
}

/* A profile describes the image; the VMPL is chosen at launch (an SVSM puts the guest at
 * VMPL1 or above). The running VMPL replaces the profile's, with what follows from it:
 * privlevel_floor on 6.11+ (vmpck_id defaults to the running VMPL) and the SVSM attributes. */
static void adopt_vmpl(struct teeabi_profile *p, int vmpl)
{
	if (vmpl < 0 || p->platform != TEEABI_PLAT_SNP || p->sev_vmpl == (unsigned)vmpl)
		return;
	p->sev_vmpl = (unsigned)vmpl;
	if (p->tsm_visibility_611)
		p->privlevel_floor = (unsigned)vmpl;
	p->sev_sysfs_vmpl = true;
	derive_svsm(p);
	size_t l = strlen(p->description);
	if (l < sizeof(p->description))
		snprintf(p->description + l, sizeof(p->description) - l, "%s[running at VMPL%d]", l ? " " : "", vmpl);
}

/* Load profile name into p when it exists and is for plat ("tdx", "snp", or NULL: unknown,
 * any platform): a known platform is never contradicted by the chosen profile. */
static bool try_load(const char *dir, const char *name, const char *plat, struct teeabi_profile *p)
{
	char e[8];
	struct teeabi_profile t;
	if (teeabi_profile_load(dir, name, &t, e, sizeof(e)))
		return false;
	if (plat && (t.platform == TEEABI_PLAT_SNP) != !strcmp(plat, "snp"))
		return false;
	*p = t;
	return true;
}

int teeabi_profile_detect(const char *root, struct teeabi_profile *p, bool *matched, char *err, size_t errlen)
{
	if (!root || !strcmp(root, "/"))
		root = "";
	struct teeabi_detect_src src = { .read = read_under, .exists = exists_under, .ctx = (void *)(uintptr_t)root, .label = root };
	return teeabi_profile_detect_src(&src, p, matched, err, errlen);
}

int teeabi_profile_detect_src(const struct teeabi_detect_src *src, struct teeabi_profile *p, bool *matched, char *err,
			      size_t errlen)
{
	char osr[8192], id[64], ver[64], rel[128], name[200];
	const char *dir = teeabi_profile_dir();
	bool dummy;
	if (!matched)
		matched = &dummy;
	*matched = false;
	if (!p || !src || !src->read || !src->exists) {
		seterr(err, errlen, "no profile or no source");
		return -1;
	}
	const char *root = src->label ? src->label : "";
	seterr(err, errlen, "%s", "");

	id[0] = ver[0] = 0;
	if (src->read(src->ctx, "/etc/os-release", osr, sizeof(osr)) == 0 ||
	    src->read(src->ctx, "/usr/lib/os-release", osr, sizeof(osr)) == 0) {
		osr_get(osr, "ID", id, sizeof(id));
		osr_get(osr, "VERSION_ID", ver, sizeof(ver));
		printable(id);
		printable(ver);
	}
	if (src->read(src->ctx, "/proc/sys/kernel/osrelease", rel, sizeof(rel))) {
		seterr(err, errlen, "cannot read %s/proc/sys/kernel/osrelease", root);
		return -1;
	}
	/* uname -r is one word: it ends at the newline, or at any blank or unprintable byte */
	for (char *q = rel; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q > 0x7e) {
			*q = 0;
			break;
		}
	int maj, min;
	if (parse_kver(rel, &maj, &min)) {
		seterr(err, errlen, "kernel release \"%.60s\" is not MAJOR.MINOR...", rel);
		return -1;
	}
	/* One longer than the profile's kernel field would be cut there, and the cut text need
	 * not be MAJOR.MINOR any more ("000...0006.400" keeps only zeros). */
	if (strlen(rel) >= sizeof(p->kernel)) {
		seterr(err, errlen, "kernel release \"%.40s...\" is longer than %zu characters", rel, sizeof(p->kernel) - 1);
		return -1;
	}

	/* Platform: the device node, else the CPU flag. */
	const char *plat = NULL;
	if (src->exists(src->ctx, "/dev/tdx_guest"))
		plat = "tdx";
	else if (src->exists(src->ctx, "/dev/sev-guest"))
		plat = "snp";
	else if (src->read(src->ctx, "/proc/cpuinfo", osr, sizeof(osr)) == 0) {
		if (strstr(osr, " tdx_guest"))
			plat = "tdx";
		else if (strstr(osr, " sev_snp"))
			plat = "snp";
	}

	int vmpl = plat && !strcmp(plat, "snp") ? running_vmpl(src) : -1;

	if (!strcmp(id, "dstack") && ver[0]) {
		char v[64];
		char names[256][64];
		int n = -1; /* the profile directory, listed on first need */
		snprintf(v, sizeof(v), "%s", ver);
		for (;;) {
			if (plat) {
				snprintf(name, sizeof(name), "dstack-%s-%s", v, plat);
				if (try_load(dir, name, plat, p))
					goto found;
			}
			/* a platform-less name (dstack 0.5.x is TDX only) only for its own platform */
			snprintf(name, sizeof(name), "dstack-%s", v);
			if (try_load(dir, name, plat, p))
				goto found;
			/* Profiles whose os_version is this VERSION_ID (e.g. 0.6.0.a2 -> dstack-0.6.0a2-tdx). */
			if (n < 0)
				n = teeabi_profile_list(dir, names, 256);
			for (int i = 0; i < n; i++) {
				struct teeabi_profile t;
				if (strncmp(names[i], "dstack-", 7) || !try_load(dir, names[i], plat, &t))
					continue;
				if (!strcmp(t.os_id, "dstack") && !strcmp(t.os_version, v)) {
					*p = t;
					goto found;
				}
			}
			/* Point releases share their base's profile: 0.5.4.1 -> 0.5.4. */
			char *dot = strrchr(v, '.');
			if (!dot || dot == v || strchr(v, '.') == dot)
				break;
			*dot = 0;
		}
	}
	if (plat) {
		/* under an SVSM, the SVSM profile of the kernel line first */
		snprintf(name, sizeof(name), "upstream-%d.%d-%s-svsm", maj, min, plat);
		if (vmpl > 0 && try_load(dir, name, plat, p))
			goto found;
		snprintf(name, sizeof(name), "upstream-%d.%d-%s", maj, min, plat);
		if (try_load(dir, name, plat, p))
			goto found;
	}

	/* Generic: everything derived from the kernel release. */
	memset(p, 0, sizeof(*p));
	p->platform = plat && !strcmp(plat, "snp") ? TEEABI_PLAT_SNP : TEEABI_PLAT_TDX;
	snprintf(p->kernel, sizeof(p->kernel), "%.63s", rel);
	snprintf(p->name, sizeof(p->name), "generic-%d.%d-%s", maj, min, plat ? plat : "tdx");
	snprintf(p->description, sizeof(p->description), "derived from kernel %.60s (no matching profile%s)", rel,
		 plat ? "" : "; platform unknown, assumed tdx");
	if (!strcmp(id, "dstack")) {
		snprintf(p->os_id, sizeof(p->os_id), "dstack");
		(void)v_name(ver, p->os_version, sizeof(p->os_version)); /* kept only when it is a name */
	}
	teeabi_profile_derive(p);
	adopt_vmpl(p, vmpl);
	seterr(err, errlen, "no profile matches os %s %s kernel %s%s; using %s", id[0] ? id : "-", ver[0] ? ver : "-", rel,
	       plat ? "" : " (platform unknown)", p->name);
	return 0;
found:
	*matched = true;
	adopt_vmpl(p, vmpl);
	return 0;
}
