/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_profile_detect.c - image detection (lib/profile.c, teeabi_profile_detect_src:
 * the code behind teeabi_profile_detect) over files served from memory.
 *
 * Input: records {u8 file, u16 little-endian length, bytes}; file (mod 7) picks one of the
 * paths detection looks at: /etc/os-release, /usr/lib/os-release,
 * /proc/sys/kernel/osrelease, /proc/cpuinfo, /sys/devices/system/cpu/sev/vmpl,
 * /dev/tdx_guest, /dev/sev-guest. A later record for the same path replaces the earlier;
 * a path without a record does not exist. Profiles come from the tree's mocks/profiles
 * (teeabi_profile_dir(); TEEABI_PROFILE_DIR overrides), so dstack and upstream names match;
 * under OSS-Fuzz and ClusterFuzzLite, where only $OUT travels with the binary, from the
 * teeabi-profiles/ directory fuzz/build.sh puts beside it. With no profile at all the target
 * stops at start-up rather than exercise the generic path alone.
 *
 * Properties (teeabi/profile.h; a reference walk decides each from the same bytes):
 *   - the result is -1 exactly when the kernel release (its first line, up to a blank or
 *     unprintable byte: uname -r is one word) is missing or not MAJOR.MINOR... (digits, '.',
 *     digits, then the end or one of . - + _), with an error line;
 *   - error text and description are printable ASCII whatever bytes the image holds (they
 *     reach terminals, JUnit XML and HTML);
 *   - otherwise: the platform is the device node's (tdx_guest first), else the CPU flag's
 *     (" tdx_guest", then " sev_snp" in the first 8 KiB of cpuinfo); a known platform is
 *     never contradicted by the chosen profile; on SEV-SNP a vmpl file of "N" or "N\n"
 *     (N 0..3) is the profile's sev_vmpl;
 *   - a matched profile is one that loads from the profile directory under its name; an
 *     unmatched one is generic-MAJ.MIN-<platform> with the release as its kernel and an
 *     error text that says no profile matches;
 *   - the profile satisfies the profile contract (profile_check.h);
 *   - detection is deterministic: twice the same input, the same profile and text.
 */
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "profile_check.h"
#include "teeabi/profile.h"

enum { F_OSR, F_OSR_USR, F_REL, F_CPUINFO, F_VMPL, F_DEV_TDX, F_DEV_SEV, NFILES };
static const char *const paths[NFILES] = {
	"/etc/os-release", "/usr/lib/os-release", "/proc/sys/kernel/osrelease", "/proc/cpuinfo",
	"/sys/devices/system/cpu/sev/vmpl", "/dev/tdx_guest", "/dev/sev-guest",
};

struct memfs {
	const uint8_t *data[NFILES];
	size_t len[NFILES];
	bool present[NFILES];
};

static int path_index(const char *rel)
{
	for (int i = 0; i < NFILES; i++)
		if (!strcmp(rel, paths[i]))
			return i;
	return -1;
}

/* The file's bytes as the C string detection sees: at most cap - 1 bytes, cut at a NUL. */
static void as_string(const struct memfs *m, int i, char *out, size_t cap)
{
	size_t k = m->len[i] < cap - 1 ? m->len[i] : cap - 1;
	memcpy(out, m->data[i], k);
	out[k] = 0;
}

static int mem_read(void *ctx, const char *rel, char *buf, size_t cap)
{
	struct memfs *m = ctx;
	int i = path_index(rel);
	FZ_CHECK(i >= 0, "detection read a path outside its list: %s", rel);
	FZ_CHECK(cap > 0, "read with no room");
	if (!m->present[i])
		return -1;
	as_string(m, i, buf, cap);
	return 0;
}

static bool mem_exists(void *ctx, const char *rel)
{
	struct memfs *m = ctx;
	int i = path_index(rel);
	FZ_CHECK(i >= 0, "detection asked for a path outside its list: %s", rel);
	return m->present[i];
}

static bool printable_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* MAJOR.MINOR at the start of the release, by a walk of its own. */
static bool ref_kver(const char *s, int *maj, int *min)
{
	long v[2];
	const char *q = s;
	for (int part = 0; part < 2; part++) {
		if (*q < '0' || *q > '9')
			return false;
		long x = 0;
		while (*q >= '0' && *q <= '9') {
			x = x * 10 + (*q - '0');
			if (x > 1000)
				return false;
			q++;
		}
		v[part] = x;
		if (part == 0) {
			if (*q != '.')
				return false;
			q++;
		}
	}
	if (*q && *q != '.' && *q != '-' && *q != '+' && *q != '_')
		return false;
	*maj = (int)v[0];
	*min = (int)v[1];
	return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;
	if (!getenv("TEEABI_PROFILE_DIR") && n > 0) {
		exe[n] = 0;
		char *sl = strrchr(exe, '/');
		if (sl) {
			*sl = 0;
			snprintf(dir, sizeof(dir), "%s/teeabi-profiles", exe);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				setenv("TEEABI_PROFILE_DIR", dir, 1);
		}
	}
	char names[1][64];
	if (teeabi_profile_list(teeabi_profile_dir(), names, 1) < 1) {
		fprintf(stderr, "fuzz_profile_detect: no profiles in %s: put mocks/profiles/*.conf in "
				"teeabi-profiles/ beside the binary (fuzz/build.sh does) or set TEEABI_PROFILE_DIR\n",
			teeabi_profile_dir());
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	struct memfs m;
	memset(&m, 0, sizeof(m));
	struct fz f = { data, size };
	while (!fz_empty(&f)) {
		int i = fz_u8(&f) % NFILES;
		size_t want = fz_u16(&f);
		size_t k = want < f.n ? want : f.n;
		m.data[i] = f.p;
		m.len[i] = k;
		m.present[i] = true;
		f.p += k;
		f.n -= k;
	}
	struct teeabi_detect_src src = { .read = mem_read, .exists = mem_exists, .ctx = &m, .label = "(fuzz)" };

	static struct teeabi_profile p, p2;
	char err[512], err2[512];
	bool matched = false, matched2 = true;
	memset(&p, 0x5a, sizeof(p));
	int rc = teeabi_profile_detect_src(&src, &p, &matched, err, sizeof(err));
	memset(&p2, 0xa5, sizeof(p2));
	int rc2 = teeabi_profile_detect_src(&src, &p2, &matched2, err2, sizeof(err2));
	FZ_CHECK(rc == rc2 && matched == matched2 && !strcmp(err, err2), "second detection differs");
	FZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	FZ_CHECK(memchr(err, 0, sizeof(err)) && printable_only(err), "error text not one printable line: \"%s\"", err);

	/* reference: the release */
	char rel[128];
	int maj = -1, min = -1;
	bool have_rel = m.present[F_REL];
	if (have_rel) {
		as_string(&m, F_REL, rel, sizeof(rel));
		size_t k = 0;
		while (rel[k] > 0x20 && rel[k] < 0x7f)
			k++;
		rel[k] = 0;
	}
	/* a release longer than the profile's kernel field (63 characters) is refused */
	bool rel_ok = have_rel && strlen(rel) < sizeof(p.kernel) && ref_kver(rel, &maj, &min);
	if (!rel_ok) {
		FZ_CHECK(rc == -1 && err[0] && !matched, "release %s accepted (rc %d)", have_rel ? "unparsable" : "missing", rc);
		return 0;
	}
	FZ_CHECK(rc == 0, "release \"%s\" rejected: %s", rel, err);
	FZ_CHECK(!memcmp(&p, &p2, sizeof(p)), "two detections chose different profiles");

	/* reference: the platform */
	int plat = -1; /* -1 unknown, else TEEABI_PLAT_* */
	if (m.present[F_DEV_TDX])
		plat = TEEABI_PLAT_TDX;
	else if (m.present[F_DEV_SEV])
		plat = TEEABI_PLAT_SNP;
	else if (m.present[F_CPUINFO]) {
		static char cpu[8192];
		as_string(&m, F_CPUINFO, cpu, sizeof(cpu));
		if (strstr(cpu, " tdx_guest"))
			plat = TEEABI_PLAT_TDX;
		else if (strstr(cpu, " sev_snp"))
			plat = TEEABI_PLAT_SNP;
	}
	if (plat >= 0)
		FZ_CHECK((int)p.platform == plat, "platform %s known, profile %s is %s", plat == TEEABI_PLAT_SNP ? "snp" : "tdx",
			 p.name, p.platform == TEEABI_PLAT_SNP ? "snp" : "tdx");
	else
		FZ_CHECK(matched || p.platform == TEEABI_PLAT_TDX, "unknown platform, generic profile not tdx");

	/* reference: the running VMPL */
	if (plat == TEEABI_PLAT_SNP && m.present[F_VMPL]) {
		char v[16];
		as_string(&m, F_VMPL, v, sizeof(v));
		if (v[0] >= '0' && v[0] <= '3' && (!v[1] || !strcmp(v + 1, "\n")))
			FZ_CHECK(p.sev_vmpl == (unsigned)(v[0] - '0'), "vmpl file \"%c\", profile %s sev_vmpl %u", v[0], p.name,
				 p.sev_vmpl);
	}

	check_profile(&p, matched);
	FZ_CHECK(printable_only(p.description), "description with unprintable bytes");
	if (matched) {
		struct teeabi_profile t;
		char e[256];
		FZ_CHECK(teeabi_profile_load(teeabi_profile_dir(), p.name, &t, e, sizeof(e)) == 0,
			 "matched profile %s does not load: %s", p.name, e);
		FZ_CHECK(t.platform == p.platform && t.kver_major == p.kver_major && t.kver_minor == p.kver_minor,
			 "matched profile %s differs from its file beyond the running VMPL", p.name);
	} else {
		char name[64];
		snprintf(name, sizeof(name), "generic-%d.%d-%s", maj, min, plat == TEEABI_PLAT_SNP ? "snp" : "tdx");
		FZ_CHECK(!strcmp(p.name, name), "generic profile named %s, want %s", p.name, name);
		FZ_CHECK(!strncmp(p.kernel, rel, sizeof(p.kernel) - 1), "generic kernel \"%s\", release \"%s\"", p.kernel, rel);
		FZ_CHECK(strstr(err, "no profile matches") != NULL, "unmatched without saying so: \"%s\"", err);
	}
	return 0;
}
