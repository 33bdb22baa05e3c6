/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mockenv - run a command in a private mount namespace where the attestation interfaces of a
 * profile are served by mockfs at their real paths:
 *
 *   /dev/tdx_guest, /dev/sev-guest                     (a tmpfs copy of /dev plus the mock nodes)
 *   /sys/kernel/config/tsm/report                      (tmpfs at /sys/kernel/config, or over
 *                                                       /sys/kernel when the host has no configfs)
 *   /sys/devices/virtual/misc/tdx_guest/measurements   (tmpfs copy of .../misc plus the mock dir)
 *   /sys/devices/system/cpu/sev/vmpl                   (tmpfs copy of .../cpu plus the mock dir)
 *   /etc/os-release (dstack profiles), /proc/sys/kernel/osrelease (the profile's kernel),
 *   /proc/cpuinfo (the host's, with the platform's guest CPU flag: write_cpuinfo)
 *   /run/dstack.sock, /run/tappd.sock, /run/dstack/, /run/log  (profiles with agent = 1: the
 *                                                       mock dstack agent, setup_agent)
 *
 * Interfaces the profile lacks are absent (host ones are hidden). Nothing is mounted outside
 * the new namespace (mounts are made private first), so the host's /dev and /sys stay as they
 * are. The command gets TEEABI_PROFILE=<name>.
 *
 * Lifetime: the command runs in a new PID namespace (with its own /proc) whose init is a
 * small mockenv process; mockfs and that init get PR_SET_PDEATHSIG(SIGKILL), so when
 * mockenv dies, even by SIGKILL, the daemon and every process of the command die too (the
 * kernel kills a PID namespace whose init died). mockfs stays in mockenv's PID namespace, so
 * the caller pids FUSE hands it are valid for process_vm_readv/writev. If mockfs dies while
 * the command runs, the command gets SIGTERM and, DAEMON_GRACE_MS later, the whole namespace
 * SIGKILL, and mockenv exits 125: nothing it recorded can be trusted. The command gets
 * TEEABI_MOCKFS_PROC_FD, an fd of the daemon's /proc/<pid> directory. Each work directory ($TMPDIR/teeabi-mockenv.*) holds a lock file flock()ed while
 * its mockenv lives; a start removes the directories whose lock is free (owner dead).
 *
 * usage: mockenv --profile NAME [--fault NAME]... [--trace FILE] [--bench] -- CMD [ARGS]
 *        mockenv --list-profiles | --list-faults
 * Exit status: the command's (128+N when killed by signal N); 2 usage, unknown profile or
 * fault; 125 the environment cannot be set up (not root, no /dev/fuse, unshare or mount
 * failing, mockfs not starting) or mockfs died while the command ran; 126/127 the command
 * cannot be run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/file.h"
#include "teeabi/profile.h"
#include "teeabi/version.h"

#define EXIT_USAGE 2
#define EXIT_ENV 125
#define FUSE_SUPER_MAGIC 0x65735546

#define MAX_FAULTS 64
#define WORK_PREFIX "teeabi-mockenv."
#define LOCK_NAME ".lock"
/* si_value of the signals mockenv forwards to the namespace's init (see ns_forward) */
#define FORWARD_MAGIC 0x7465650a
/* a command whose mockfs died gets SIGTERM, then SIGKILL after this long */
#define DAEMON_GRACE_MS 3000

static char work[PATH_MAX];          /* private tmpfs, holds the FUSE mount point */
static char agent_dir[PATH_MAX];     /* the mock dstack agent's sockets and log (setup_agent) */
static pid_t mockfs_pid = -1;
static volatile sig_atomic_t init_pid = -1; /* the PID namespace's init (in our namespace) */
static volatile sig_atomic_t child_pid = -1; /* the command (in the init's namespace) */
static volatile sig_atomic_t early_sig;       /* a signal that came before the command ran */

/* Mount points made in the namespace, undone in reverse at the end. */
static char *undo[64];
static int nundo;

static void die_env(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void teardown(void);
static void remove_workdir(void);

/* "mockenv: " + the message + suffix + newline on stderr */
static void vsay(const char *suffix, const char *fmt, va_list ap)
{
	fprintf(stderr, "mockenv: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", suffix);
}

static void die_env(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
	teardown();
	exit(EXIT_ENV);
}

static void remember(const char *path)
{
	if (nundo < (int)(sizeof(undo) / sizeof(undo[0])))
		undo[nundo++] = strdup(path);
}

static void xmount(const char *src, const char *dst, const char *type, unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) < 0)
		die_env("mount %s on %s (%s): %s", src ? src : "-", dst, type ? type : "bind", strerror(errno));
	remember(dst);
}

static void path_join(char *out, size_t len, const char *a, const char *b)
{
	if ((size_t)snprintf(out, len, "%s/%s", a, b) >= len)
		die_env("path too long: %s/%s", a, b);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0)
		die_env("cannot write %s: %s", path, strerror(errno));
}

/*
 * The command's /proc/cpuinfo (bound by ns_init() like osrelease): the host's, with the CPU
 * flag a confidential guest of the profile's platform shows whether or not its attestation
 * driver loaded ("tdx_guest", X86_FEATURE_TDX_GUEST; "sev_snp", X86_FEATURE_SEV_SNP,
 * arch/x86/include/asm/cpufeatures.h) added to every "flags" line. Without it a profile whose
 * only interface is missing (no provider and no report directory) would look like no
 * confidential VM at all, and its presence checks would SKIP instead of FAIL (blind audit
 * round 5, 178).
 */
static void write_cpuinfo(const struct teeabi_profile *p)
{
	const char *flag = p->platform == TEEABI_PLAT_TDX ? " tdx_guest" : p->platform == TEEABI_PLAT_SNP ? " sev_snp" : "";
	FILE *in = fopen("/proc/cpuinfo", "r");
	char path[PATH_MAX], line[8192];
	path_join(path, sizeof(path), work, "cpuinfo");
	FILE *out = fopen(path, "w");
	if (!in || !out)
		die_env("cannot copy /proc/cpuinfo to %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), in)) {
		size_t n = strlen(line);
		bool flags = !strncmp(line, "flags", 5) && n && line[n - 1] == '\n';
		if (flags && *flag && !strstr(line, flag)) {
			line[n - 1] = 0;
			fprintf(out, "%s%s\n", line, flag);
		} else {
			fputs(line, out);
		}
	}
	fclose(in);
	if (ferror(out) | (fclose(out) != 0))
		die_env("cannot write %s", path);
}

/* ------------------------------------------------------------------ listings */

static const char *fault_dir(void)
{
	static char buf[PATH_MAX];
	const char *e = getenv("TEEABI_FAULT_DIR");
	if (e && *e)
		snprintf(buf, sizeof(buf), "%s", e);
	else
		snprintf(buf, sizeof(buf), "%s/../faults", teeabi_profile_dir());
	return buf;
}

/* value of `key = value` in a small conf file */
static int conf_get(const char *path, const char *key, char *out, size_t len)
{
	int err = 0;
	FILE *f = teeabi_fopen_regular(path, &err); /* a FIFO there must not block a listing */
	char line[512];
	size_t kl = strlen(key);
	out[0] = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, key, kl))
			continue;
		s += kl;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '=')
			continue;
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		s[strcspn(s, "\r\n")] = 0;
		snprintf(out, len, "%s", s);
		fclose(f);
		return 0;
	}
	fclose(f);
	return -1;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorted fault names from the fault directory; returns count. */
static int fault_names(char ***out)
{
	DIR *d = opendir(fault_dir());
	struct dirent *de;
	char **v = NULL;
	int n = 0;
	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".conf") || de->d_name[0] == '.')
			continue;
		char **nv = realloc(v, (size_t)(n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n] = strndup(de->d_name, l - 5);
		if (v[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmpstr);
	*out = v;
	return n;
}

static void free_names(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int list_profiles(FILE *f, bool with_desc)
{
	char names[256][64];
	const char *dir = teeabi_profile_dir();
	int n = teeabi_profile_list(dir, names, 256);
	if (n < 0) {
		fprintf(stderr, "mockenv: cannot read the profile directory %s\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct teeabi_profile p;
		char err[300];
		if (!with_desc)
			fprintf(f, "  %s\n", names[i]);
		else if (teeabi_profile_load(dir, names[i], &p, err, sizeof(err)) == 0)
			fprintf(f, "%-26s %s\n", names[i], p.description);
		else
			fprintf(f, "%-26s (invalid: %s)\n", names[i], err);
	}
	return 0;
}

static int list_faults(FILE *f, bool with_desc)
{
	char **v;
	int n = fault_names(&v);
	if (!n) {
		fprintf(stderr, "mockenv: no faults in %s\n", fault_dir());
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], area[64], desc[400];
		snprintf(path, sizeof(path), "%s/%s.conf", fault_dir(), v[i]);
		conf_get(path, "area", area, sizeof(area));
		conf_get(path, "description", desc, sizeof(desc));
		if (with_desc)
			fprintf(f, "%-32s %-11s %s\n", v[i], area, desc);
		else
			fprintf(f, "  %s\n", v[i]);
	}
	free_names(v, n);
	return 0;
}

/* ------------------------------------------------------------------ namespace setup */

/*
 * Replace directory `path` by a tmpfs holding the same entries (bind mounts of the
 * originals, device nodes re-made, symlinks copied), minus the names in skip[]. The
 * originals stay reachable through a bind at save.
 */
static void overlay_dir(const char *path, const char *save, const char *const *skip)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		die_env("%s is not a directory", path);
	if (mkdir(save, 0700) < 0 && errno != EEXIST)
		die_env("mkdir %s: %s", save, strerror(errno));
	xmount(path, save, NULL, MS_BIND | MS_REC, NULL);
	char mode[32];
	snprintf(mode, sizeof(mode), "mode=%o", (unsigned)(st.st_mode & 07777));
	xmount("tmpfs", path, "tmpfs", MS_NOSUID, mode);
	DIR *d = opendir(save);
	if (!d)
		die_env("opendir %s: %s", save, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		bool skipit = !strcmp(n, ".") || !strcmp(n, "..");
		for (int i = 0; skip && skip[i] && !skipit; i++)
			skipit = !strcmp(n, skip[i]);
		if (skipit)
			continue;
		path_join(src, sizeof(src), save, n);
		path_join(dst, sizeof(dst), path, n);
		if (lstat(src, &st) < 0)
			continue; /* vanished */
		if (S_ISLNK(st.st_mode)) {
			char tgt[PATH_MAX];
			ssize_t l = readlink(src, tgt, sizeof(tgt) - 1);
			if (l < 0)
				continue;
			tgt[l] = 0;
			if (symlink(tgt, dst) < 0)
				die_env("symlink %s: %s", dst, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(dst, st.st_mode & 07777) < 0)
				die_env("mkdir %s: %s", dst, strerror(errno));
			if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
				die_env("bind %s: %s", dst, strerror(errno));
		} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
			if (mknod(dst, st.st_mode, st.st_rdev) < 0)
				die_env("mknod %s: %s", dst, strerror(errno));
		} else {
			int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777);
			if (fd < 0)
				die_env("create %s: %s", dst, strerror(errno));
			close(fd);
			if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
				die_env("bind %s: %s", dst, strerror(errno));
		}
		if (!S_ISDIR(st.st_mode) && lchown(dst, st.st_uid, st.st_gid) < 0)
			die_env("chown %s: %s", dst, strerror(errno));
	}
	closedir(d);
}

/* Bind a file from the FUSE tree onto a new empty file at dst (dst's directory is ours). */
static void bind_file(const char *src, const char *dst)
{
	int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		die_env("create %s: %s", dst, strerror(errno));
	close(fd);
	xmount(src, dst, NULL, MS_BIND, NULL);
}

static void bind_dir(const char *src, const char *dst)
{
	if (mkdir(dst, 0755) < 0 && errno != EEXIST)
		die_env("mkdir %s: %s", dst, strerror(errno));
	xmount(src, dst, NULL, MS_BIND, NULL);
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static void setup(const struct teeabi_profile *p)
{
	char fs[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	path_join(fs, sizeof(fs), work, "fs");

	/* what mockfs serves (profile + matrix faults) */
	path_join(a, sizeof(a), fs, "dev/tdx_guest");
	bool tdx = exists(a);
	path_join(a, sizeof(a), fs, "dev/sev-guest");
	bool sev = exists(a);
	path_join(a, sizeof(a), fs, "tsm");
	bool tsm = exists(a);
	path_join(a, sizeof(a), fs, "measurements");
	bool mr = exists(a);
	path_join(a, sizeof(a), fs, "cpu-sev");
	bool sevsys = exists(a);

	/* /dev: a tmpfs copy, without any host TEE node, plus the mock nodes */
	static const char *const dev_skip[] = { "tdx_guest", "sev-guest", NULL };
	path_join(b, sizeof(b), work, "host-dev");
	overlay_dir("/dev", b, dev_skip);
	if (tdx) {
		path_join(a, sizeof(a), fs, "dev/tdx_guest");
		bind_file(a, "/dev/tdx_guest");
	}
	if (sev) {
		path_join(a, sizeof(a), fs, "dev/sev-guest");
		bind_file(a, "/dev/sev-guest");
	}

	/* configfs: hide any host configfs; add tsm when served */
	if (exists("/sys/kernel/config")) {
		xmount("tmpfs", "/sys/kernel/config", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
	} else if (tsm) {
		static const char *const k_skip[] = { "config", NULL };
		path_join(b, sizeof(b), work, "host-sys-kernel");
		overlay_dir("/sys/kernel", b, k_skip);
		if (mkdir("/sys/kernel/config", 0755) < 0)
			die_env("mkdir /sys/kernel/config: %s", strerror(errno));
		xmount("tmpfs", "/sys/kernel/config", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
	}
	if (tsm) {
		path_join(a, sizeof(a), fs, "tsm");
		bind_dir(a, "/sys/kernel/config/tsm");
	}

	/* misc device sysfs dirs: host TEE ones hidden; a served device gets its
	 * /sys/devices/virtual/misc/<name> directory and the /sys/class/misc/<name> link that
	 * misc_register() makes, tdx_guest also its measurements directory when served */
	const char *misc = "/sys/devices/virtual/misc";
	bool host_tee = exists("/sys/devices/virtual/misc/tdx_guest") || exists("/sys/devices/virtual/misc/sev-guest");
	if (exists(misc) && (mr || tdx || sev || host_tee)) {
		static const char *const m_skip[] = { "tdx_guest", "sev-guest", NULL };
		path_join(b, sizeof(b), work, "host-misc");
		overlay_dir(misc, b, m_skip);
		if (tdx || mr) {
			if (mkdir("/sys/devices/virtual/misc/tdx_guest", 0755) < 0)
				die_env("mkdir %s/tdx_guest: %s", misc, strerror(errno));
		}
		if (sev && mkdir("/sys/devices/virtual/misc/sev-guest", 0755) < 0)
			die_env("mkdir %s/sev-guest: %s", misc, strerror(errno));
		if (mr) {
			path_join(a, sizeof(a), fs, "measurements");
			bind_dir(a, "/sys/devices/virtual/misc/tdx_guest/measurements");
		}
		const char *cls = "/sys/class/misc";
		if (exists(cls)) {
			path_join(b, sizeof(b), work, "host-class-misc");
			overlay_dir(cls, b, m_skip);
			if ((tdx || mr) && symlink("../../devices/virtual/misc/tdx_guest", "/sys/class/misc/tdx_guest") < 0)
				die_env("symlink /sys/class/misc/tdx_guest: %s", strerror(errno));
			if (sev && symlink("../../devices/virtual/misc/sev-guest", "/sys/class/misc/sev-guest") < 0)
				die_env("symlink /sys/class/misc/sev-guest: %s", strerror(errno));
		}
	} else if (mr) {
		die_env("%s does not exist on this host: cannot place the measurements directory", misc);
	}

	/* /sys/devices/system/cpu/sev: the host's hidden, the mock's when served */
	const char *cpu = "/sys/devices/system/cpu";
	if (exists(cpu) && (sevsys || exists("/sys/devices/system/cpu/sev"))) {
		static const char *const c_skip[] = { "sev", NULL };
		path_join(b, sizeof(b), work, "host-cpu");
		overlay_dir(cpu, b, c_skip);
		if (sevsys) {
			path_join(a, sizeof(a), fs, "cpu-sev");
			bind_dir(a, "/sys/devices/system/cpu/sev");
		}
	} else if (sevsys) {
		die_env("%s does not exist on this host: cannot place the sev directory", cpu);
	}

	/* the image's identity */
	if (p->os_id[0]) {
		char text[512];
		snprintf(text, sizeof(text),
			 "ID=%s\nNAME=\"DStack\"\nVERSION=\"%s\"\nVERSION_ID=%s\nPRETTY_NAME=\"DStack %s\"\n",
			 p->os_id, p->os_version, p->os_version, p->os_version);
		path_join(a, sizeof(a), work, "os-release");
		write_file(a, text);
		const char *osr = exists("/etc/os-release") ? "/etc/os-release" : exists("/usr/lib/os-release") ? "/usr/lib/os-release" : NULL;
		if (!osr)
			die_env("no /etc/os-release or /usr/lib/os-release to cover with the profile's");
		xmount(a, osr, NULL, MS_BIND, NULL);
		if (strcmp(osr, "/usr/lib/os-release") && exists("/usr/lib/os-release")) {
			struct stat s1, s2;
			if (stat("/etc/os-release", &s1) == 0 && stat("/usr/lib/os-release", &s2) == 0 &&
			    (s1.st_dev != s2.st_dev || s1.st_ino != s2.st_ino))
				xmount(a, "/usr/lib/os-release", NULL, MS_BIND, NULL);
		}
	}
	/* the kernel release: bound over the command's own /proc by ns_init() */
	char rel[128];
	snprintf(rel, sizeof(rel), "%s\n", p->kernel);
	path_join(a, sizeof(a), work, "osrelease");
	write_file(a, rel);
	write_cpuinfo(p);
}

/* ------------------------------------------------------------------ dstack agent */

/*
 * The mock dstack guest agent runs inside mockfs (mocks/agent/agent.h) and makes its sockets
 * and runtime event log in agent_dir. Here they go to the real paths: /run (= /var/run)
 * becomes a tmpfs copy of the host's, without the host's dstack.sock, tappd.sock, dstack/
 * and log/, plus /run/dstack.sock, /run/tappd.sock, /run/dstack/{dstack,tappd}.sock (the
 * systemd sockets and the agent's own listeners, docs/dstack-os.md §3.1) and /run/log.
 */
static void setup_agent(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	static const char *const socks[] = { "dstack.sock", "tappd.sock" };
	for (int i = 0; i < 1000; i++) { /* mockfs starts the agent right after mounting */
		path_join(a, sizeof(a), agent_dir, "tappd.sock");
		if (exists(a) || waitpid(mockfs_pid, NULL, WNOHANG) != 0)
			break;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (!exists(a))
		die_env("the mock dstack agent did not create %s", a);
	static const char *const run_skip[] = { "dstack.sock", "tappd.sock", "dstack", "log", NULL };
	path_join(b, sizeof(b), work, "host-run");
	overlay_dir("/run", b, run_skip);
	if (mkdir("/run/dstack", 0755) < 0)
		die_env("mkdir /run/dstack: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		path_join(a, sizeof(a), agent_dir, socks[i]);
		path_join(b, sizeof(b), "/run", socks[i]);
		bind_file(a, b);
		path_join(b, sizeof(b), "/run/dstack", socks[i]);
		bind_file(a, b);
	}
	path_join(a, sizeof(a), agent_dir, "log");
	bind_dir(a, "/run/log");
}

/* ------------------------------------------------------------------ mockfs */

/* the signals mockenv passes on to the command */
static const int fwd_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* Block (how SIG_BLOCK) or unblock (SIG_UNBLOCK) the forwarded signals. */
static void fwd_mask(int how)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaddset(&set, fwd_sigs[i]);
	sigprocmask(how, &set, NULL);
}

/* A signal while the mock was being set up: undo what is set up, exit 128+N. */
static void check_early(void)
{
	if (early_sig) {
		teardown();
		exit(128 + early_sig);
	}
}


static void start_mockfs(const char *profile, char **faults, int nfaults, const char *trace, bool bench)
{
	char exe[PATH_MAX], bin[PATH_MAX], fs[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		die_env("readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	path_join(bin, sizeof(bin), exe, "mockfs");
	if (access(bin, X_OK) < 0)
		die_env("mockfs not found next to mockenv (%s): %s", bin, strerror(errno));
	path_join(fs, sizeof(fs), work, "fs");
	if (mkdir(fs, 0755) < 0)
		die_env("mkdir %s: %s", fs, strerror(errno));

	char *argv[8 + 2 * MAX_FAULTS];
	int a = 0;
	argv[a++] = bin;
	argv[a++] = "--profile";
	argv[a++] = (char *)profile;
	for (int i = 0; i < nfaults; i++) {
		argv[a++] = "--fault";
		argv[a++] = faults[i];
	}
	if (trace) {
		argv[a++] = "--trace";
		argv[a++] = (char *)trace;
	}
	if (bench)
		argv[a++] = "--bench";
	if (agent_dir[0]) {
		argv[a++] = "--agent-dir";
		argv[a++] = agent_dir;
	}
	argv[a++] = "-f";
	argv[a++] = fs;
	argv[a] = NULL;

	pid_t parent = getpid();
	fwd_mask(SIG_BLOCK); /* until the child has the default actions back (see ns_init) */
	mockfs_pid = fork();
	if (mockfs_pid < 0)
		die_env("fork: %s", strerror(errno));
	if (mockfs_pid == 0) {
		/* mockfs keeps running while the command is signalled (a terminal's ^C or a kill
		 * of mockenv's process group reaches the command, not the daemon), and dies with
		 * mockenv even when that is SIGKILLed */
		for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
			signal(fwd_sigs[i], SIG_DFL);
		signal(SIGINT, SIG_IGN);
		fwd_mask(SIG_UNBLOCK);
		setpgid(0, 0);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(EXIT_ENV);
		execv(bin, argv);
		fprintf(stderr, "mockenv: exec %s: %s\n", bin, strerror(errno));
		_exit(EXIT_ENV);
	}
	fwd_mask(SIG_UNBLOCK);
	/* ready when the FUSE file system answers at fs */
	for (int i = 0; i < 1000; i++) {
		int st;
		pid_t r = waitpid(mockfs_pid, &st, WNOHANG);
		if (r == mockfs_pid) {
			mockfs_pid = -1;
			if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE) {
				teardown();
				exit(EXIT_USAGE);
			}
			die_env("mockfs exited before mounting (%s %d)", WIFEXITED(st) ? "status" : "signal",
				WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		}
		struct statfs sf;
		if (statfs(fs, &sf) == 0 && sf.f_type == FUSE_SUPER_MAGIC) {
			char probe[PATH_MAX];
			path_join(probe, sizeof(probe), fs, "dev");
			if (exists(probe))
				return;
		}
		if (early_sig)
			return; /* main() undoes it */
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	die_env("mockfs did not mount %s within 10 s", fs);
}

static void teardown(void)
{
	/* unmount our binds first (they pin the FUSE mount), then stop mockfs */
	while (nundo > 0) {
		char *p = undo[--nundo];
		umount2(p, MNT_DETACH);
		free(p);
	}
	if (mockfs_pid > 0) {
		int st;
		kill(mockfs_pid, SIGTERM);
		for (int i = 0; i < 500; i++) {
			if (waitpid(mockfs_pid, &st, WNOHANG) == mockfs_pid) {
				mockfs_pid = -1;
				break;
			}
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (mockfs_pid > 0) {
			fprintf(stderr, "mockenv: mockfs (pid %d) did not stop on SIGTERM; killing it\n", (int)mockfs_pid);
			kill(mockfs_pid, SIGKILL);
			waitpid(mockfs_pid, &st, 0);
			mockfs_pid = -1;
		}
	}
	if (work[0]) {
		char fs[PATH_MAX + 8];
		snprintf(fs, sizeof(fs), "%s/fs", work);
		umount2(fs, MNT_DETACH);
		umount2(work, MNT_DETACH);
		remove_workdir();
		work[0] = 0;
	}
}

/* ------------------------------------------------------------------ work directories */

/*
 * Remove the work directories that killed mockenv runs left in tmp: those whose lock file
 * nobody holds. A directory whose lock is held belongs to a running mockenv (possibly of
 * another user of this machine) and is never touched; nor is one without a lock file (being
 * made right now, or made by an older mockenv that may still run: removing a directory
 * detaches the mounts other namespaces have on it). Only empty directories are removed:
 * the private tmpfs a run mounted there lived in its own mount namespace, gone with it.
 */
static void sweep_orphans(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	struct stat tst;

	if (!d || fstat(dirfd(d), &tst) < 0) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d))) {
		char dir[PATH_MAX], lock[PATH_MAX + 8];
		struct stat st;
		if (strncmp(de->d_name, WORK_PREFIX, strlen(WORK_PREFIX)) ||
		    (size_t)snprintf(dir, sizeof(dir), "%s/%s", tmp, de->d_name) >= sizeof(dir))
			continue;
		if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		snprintf(lock, sizeof(lock), "%s/" LOCK_NAME, dir);
		int fd = open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			close(fd); /* its mockenv is alive */
			continue;
		}
		/* a mount left there in this namespace (none is expected: they were private) */
		if (st.st_dev != tst.st_dev)
			umount2(dir, MNT_DETACH);
		if (unlink(lock) == 0 && rmdir(dir) == 0)
			fprintf(stderr, "mockenv: removed %s (left by a killed mockenv)\n", dir);
		close(fd);
	}
	closedir(d);
}

/* mkdtemp the work directory under tmp and hold its lock until this process (and the
 * namespace init, which inherits the lock) is gone. A sweep of another mockenv may take
 * the lock between our create and flock and remove the directory: then make another. */
static void make_workdir(const char *tmp)
{
	char lock[PATH_MAX + 8];

	for (int tries = 0;; tries++) {
		struct stat a, b;
		snprintf(work, sizeof(work), "%s/" WORK_PREFIX "XXXXXX", tmp);
		if (!mkdtemp(work)) {
			work[0] = 0;
			die_env("mkdtemp in %s: %s", tmp, strerror(errno));
		}
		snprintf(lock, sizeof(lock), "%s/" LOCK_NAME, work);
		int fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &a) == 0 && lstat(lock, &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return; /* fd stays open (close-on-exec: the command does not hold it) */
		if (fd < 0 || tries == 5)
			die_env("lock %s: %s", lock, fd < 0 ? strerror(errno) : "taken by a sweep, five times");
		close(fd);
	}
}

/* Remove the lock file and the directory (after the private tmpfs on it is unmounted). */
static void remove_workdir(void)
{
	char lock[PATH_MAX + 8];
	snprintf(lock, sizeof(lock), "%s/" LOCK_NAME, work);
	unlink(lock);
	rmdir(work);
}

/* ------------------------------------------------------------------ the command's namespace */

static void describe_status(char *buf, size_t len, int st)
{
	if (WIFSIGNALED(st)) {
		const char *n = sigabbrev_np(WTERMSIG(st));
		if (n)
			snprintf(buf, len, "killed by SIG%s", n);
		else
			snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
	} else {
		snprintf(buf, len, "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
}

static int status_rc(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}


/* mockenv: a signal sent to it (not one the kernel raised for a terminal, which reaches the
 * command through the process group anyway) goes on to the namespace's init, tagged. */
static void me_forward(int sig, siginfo_t *si, void *uc)
{
	if (init_pid > 0 && si->si_code <= 0)
		sigqueue((pid_t)init_pid, sig, (union sigval){ .sival_int = FORWARD_MAGIC });
	else if (init_pid <= 0)
		early_sig = sig; /* setting up: undo it and end as if killed (check_early) */
}

/* init: only what mockenv forwarded goes on to the command (a direct signal to the init,
 * e.g. from a kill of the process group, reached the command directly as well). */
static void ns_forward(int sig, siginfo_t *si, void *uc)
{
	if (child_pid > 0 && si->si_code == SI_QUEUE && si->si_value.sival_int == FORWARD_MAGIC)
		kill((pid_t)child_pid, sig);
}

static void set_handlers(void (*h)(int, siginfo_t *, void *))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &sa, NULL);
}

/* die_env() of the namespace's init: mockenv's mounts and daemon are not its to undo */
static void __attribute__((noreturn, format(printf, 1, 2))) ns_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
	_exit(EXIT_ENV);
}

/*
 * PID 1 of the command's namespace. It dies with mockenv (death signal; `alive` is the read
 * end of a pipe whose write end only mockenv holds, closed if mockenv died before the death
 * signal was armed), gives the namespace its own /proc (with the profile's osrelease), runs
 * the command, reaps whatever is reparented to it, and exits with the command's status once
 * the command ends: the kernel then kills what the command left running. It starts with
 * the forwarded signals blocked (and mockenv's handlers, so that the kernel does not drop
 * them as it drops default-action signals to an init): one mockenv forwards meanwhile stays
 * pending until the command exists to receive it.
 */
static void __attribute__((noreturn)) ns_init(char **cmd, int alive)
{
	char osr[PATH_MAX];
	struct pollfd pf = { .fd = alive, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		ns_die("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
	if (poll(&pf, 1, 0) != 0)
		_exit(EXIT_ENV); /* mockenv already gone */
	close(alive);
	if (unshare(CLONE_NEWNS) < 0)
		ns_die("unshare(CLONE_NEWNS) for the command's /proc: %s", strerror(errno));
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		ns_die("mounting the PID namespace's /proc: %s", strerror(errno));
	if ((size_t)snprintf(osr, sizeof(osr), "%s/osrelease", work) >= sizeof(osr))
		ns_die("path too long: %s/osrelease", work);
	if (mount(osr, "/proc/sys/kernel/osrelease", NULL, MS_BIND, NULL) < 0)
		ns_die("bind %s on /proc/sys/kernel/osrelease: %s", osr, strerror(errno));
	if ((size_t)snprintf(osr, sizeof(osr), "%s/cpuinfo", work) >= sizeof(osr))
		ns_die("path too long: %s/cpuinfo", work);
	if (mount(osr, "/proc/cpuinfo", NULL, MS_BIND, NULL) < 0)
		ns_die("bind %s on /proc/cpuinfo: %s", osr, strerror(errno));
	set_handlers(ns_forward);

	pid_t pid = fork();
	if (pid < 0)
		ns_die("fork: %s", strerror(errno));
	if (pid == 0) {
		/* default actions first, then unblock: a signal the init passed on meanwhile is
		 * pending here, and must not meet the inherited handler (which would drop it) */
		sigset_t none;
		for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
			signal(fwd_sigs[i], SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(cmd[0], cmd);
		int e = errno;
		fprintf(stderr, "mockenv: %s: %s\n", cmd[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	fwd_mask(SIG_UNBLOCK);
	for (;;) {
		int st;
		pid_t r = waitpid(-1, &st, 0);
		if (r == pid)
			_exit(status_rc(st));
		if (r < 0 && errno != EINTR)
			_exit(EXIT_ENV);
	}
}

/*
 * Run cmd in a new PID namespace and wait for it or for mockfs, whichever ends first.
 * Returns the command's status; a mockfs that died meanwhile makes it EXIT_ENV.
 */
static int run_command(char **cmd)
{
	int alive[2], st = 0;
	char why[64];

	if (pipe2(alive, O_CLOEXEC) < 0)
		die_env("pipe: %s", strerror(errno));
	fflush(NULL);
	fwd_mask(SIG_BLOCK);
	check_early();
	/* clone with fork semantics into a new PID namespace (unshare(CLONE_NEWPID) would put
	 * every later child of ours there too, and fail them once the init is gone) */
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die_env("clone(CLONE_NEWPID): %s (a PID namespace keeps the command from outliving mockenv)",
			strerror(errno));
	if (pid == 0) {
		close(alive[1]);
		ns_init(cmd, alive[0]);
	}
	init_pid = pid;
	fwd_mask(SIG_UNBLOCK);
	close(alive[0]);
	for (;;) {
		pid_t r = waitpid(-1, &st, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die_env("waitpid: %s", strerror(errno));
		}
		if (r == pid)
			break;
		if (r == mockfs_pid) {
			/* nothing the command records from now on can be trusted: stop it, with a
			 * SIGTERM first (its cleanups run) and SIGKILL of the whole namespace after
			 * DAEMON_GRACE_MS */
			mockfs_pid = -1;
			describe_status(why, sizeof(why), st);
			fprintf(stderr, "mockenv: mockfs died (%s) while the command ran; stopping the command\n", why);
			sigqueue(pid, SIGTERM, (union sigval){ .sival_int = FORWARD_MAGIC });
			for (int ms = 0; ms < DAEMON_GRACE_MS && waitpid(pid, NULL, WNOHANG) == 0; ms += 10) {
				struct timespec ts = { 0, 10 * 1000 * 1000 };
				nanosleep(&ts, NULL);
			}
			kill(pid, SIGKILL);
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			init_pid = -1;
			die_env("mockfs died (%s) while the command ran", why);
		}
	}
	init_pid = -1;
	close(alive[1]);
	/* a daemon that died just before the command ended */
	int dst;
	if (mockfs_pid > 0 && waitpid(mockfs_pid, &dst, WNOHANG) == mockfs_pid) {
		mockfs_pid = -1;
		describe_status(why, sizeof(why), dst);
		die_env("mockfs died (%s) while the command ran", why);
	}
	return status_rc(st);
}

/* ------------------------------------------------------------------ main */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: mockenv --profile NAME [--fault NAME]... [--trace FILE] [--bench] -- CMD [ARGS]\n"
		"       mockenv --list-profiles | --list-faults\n"
		"Runs CMD in a private mount namespace where mockfs serves the profile's\n"
		"/dev/tdx_guest, /dev/sev-guest, /sys/kernel/config/tsm/report and\n"
		"/sys/devices/virtual/misc/tdx_guest/measurements; CMD gets TEEABI_PROFILE=NAME.\n"
		"CMD runs in its own PID namespace and dies with mockenv; it gets TEEABI_MOCKFS_PROC_FD,\n"
		"an fd of the daemon's /proc/<pid> directory. --bench: mockfs answers two no-op ioctls.\n"
		"Exit: CMD's status (128+N on signal N); 2 usage/unknown profile or fault;\n"
		"125 environment (not root, no /dev/fuse, unshare/mount failing, mockfs not starting)\n"
		"or mockfs died while CMD ran;\n"
		"126/127 CMD cannot be run.\n");
}

/* One line naming the option, exit 2 (no usage text: a script's log shows the cause). */
static int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(" (see mockenv --help)", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* the value of option opt: NULL after printing the usage line when it is missing/malformed */
static const char *name_arg(const char *opt, const char *v)
{
	if (!v || !*v || *v == '-') {
		usage_error("%s needs a value", opt);
		return NULL;
	}
	if (!teeabi_name_ok(v)) {
		usage_error("%s \"%.80s\": not a name ([A-Za-z0-9._+-], at most 63 bytes)", opt, v);
		return NULL;
	}
	return v;
}

int main(int argc, char **argv)
{
	teeabi_version_option(argc, argv);
	static const struct option lo[] = {
		{ "profile", required_argument, 0, 'p' },   { "fault", required_argument, 0, 'F' },
		{ "trace", required_argument, 0, 't' },     { "bench", no_argument, 0, 'b' },
		{ "list-profiles", no_argument, 0, 'L' },   { "list-faults", no_argument, 0, 'l' },
		{ "help", no_argument, 0, 'h' },            { 0, 0, 0, 0 },
	};
	const char *profile = NULL, *trace = NULL;
	char *faults[MAX_FAULTS];
	int nfaults = 0, c;
	bool bench = false;
	char err[512];

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!(profile = name_arg("--profile", optarg)))
				return EXIT_USAGE;
			break;
		case 'F':
			if (nfaults == MAX_FAULTS)
				return usage_error("too many --fault options (at most %d)", MAX_FAULTS);
			if (!name_arg("--fault", optarg))
				return EXIT_USAGE;
			faults[nfaults++] = optarg;
			break;
		case 't':
			if (!*optarg || *optarg == '-')
				return usage_error("--trace needs a value (a file)");
			trace = optarg;
			break;
		case 'b': bench = true; break;
		case 'L': return list_profiles(stdout, true);
		case 'l': return list_faults(stdout, true);
		case 'h': usage(stdout); return 0;
		case ':': return usage_error("%s needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option -%c", optopt);
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (!profile)
		return usage_error("--profile NAME is required");
	if (optind >= argc)
		return usage_error("no command given (mockenv --profile NAME -- CMD [ARGS])");
	struct teeabi_profile p;
	if (teeabi_profile_load(teeabi_profile_dir(), profile, &p, err, sizeof(err))) {
		fprintf(stderr, "mockenv: %s\nvalid profiles:\n", err);
		list_profiles(stderr, false);
		return EXIT_USAGE;
	}
	for (int i = 0; i < nfaults; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s.conf", fault_dir(), faults[i]);
		int fd = teeabi_open_regular(path);
		if (fd < 0) {
			fprintf(stderr, "mockenv: unknown fault %s (%s: %s)\nvalid faults:\n", faults[i], path, teeabi_open_strerror(fd));
			list_faults(stderr, false);
			return EXIT_USAGE;
		}
		close(fd);
	}

	if (geteuid() != 0) {
		fprintf(stderr, "mockenv: must run as root (a mount namespace and a FUSE mount need CAP_SYS_ADMIN)\n");
		return EXIT_ENV;
	}
	if (access("/dev/fuse", R_OK | W_OK) < 0) {
		fprintf(stderr, "mockenv: /dev/fuse: %s (FUSE is needed: modprobe fuse, or give the container /dev/fuse)\n",
			strerror(errno));
		return EXIT_ENV;
	}
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp || strlen(tmp) >= 200)
		tmp = "/tmp";
	/* from here on a SIGINT/TERM/HUP/QUIT undoes the set-up before mockenv ends */
	set_handlers(me_forward);
	sweep_orphans(tmp);
	if (unshare(CLONE_NEWNS) < 0) {
		fprintf(stderr, "mockenv: unshare(CLONE_NEWNS): %s (a private mount namespace is needed)\n", strerror(errno));
		return EXIT_ENV;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "mockenv: making mounts private: %s\n", strerror(errno));
		return EXIT_ENV;
	}
	umask(0);
	make_workdir(tmp);
	if (mount("tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV, "mode=700") < 0)
		die_env("tmpfs on %s: %s", work, strerror(errno));

	signal(SIGPIPE, SIG_IGN);
	if (p.agent) {
		path_join(agent_dir, sizeof(agent_dir), work, "agent");
		if (mkdir(agent_dir, 0755) < 0)
			die_env("mkdir %s: %s", agent_dir, strerror(errno));
	}
	start_mockfs(profile, faults, nfaults, trace, bench);
	check_early();
	setup(&p);
	if (p.agent)
		setup_agent();
	check_early();
	umask(022);

	setenv("TEEABI_PROFILE", p.name, 1);
	{
		/* the daemon's /proc directory: the command's PID namespace has no name for it;
		 * benchmarks read its RSS and CPU there, a test may signal it through it
		 * (pidfd_send_signal takes a /proc/<pid> fd) */
		char path[64], num[16];
		snprintf(path, sizeof(path), "/proc/%d", (int)mockfs_pid);
		int pfd = open(path, O_RDONLY | O_DIRECTORY);
		if (pfd < 0)
			die_env("open %s: %s", path, strerror(errno));
		snprintf(num, sizeof(num), "%d", pfd);
		setenv("TEEABI_MOCKFS_PROC_FD", num, 1);
	}
	int rc = run_command(&argv[optind]);
	teardown();
	return rc;
}
