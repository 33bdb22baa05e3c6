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
 *   /etc/os-release (dstack profiles), /proc/sys/kernel/osrelease (the profile's kernel)
 *   /run/dstack.sock, /run/tappd.sock, /run/dstack/, /run/log  (profiles with agent = 1: the
 *                                                       mock dstack agent, setup_agent)
 *
 * Interfaces the profile lacks are absent (host ones are hidden). Nothing is mounted outside
 * the new namespace (mounts are made private first), so the host's /dev and /sys stay as they
 * are. The command gets TEEABI_PROFILE=<name>.
 *
 * usage: mockenv --profile NAME [--fault NAME]... [--trace FILE] [--bench] -- CMD [ARGS]
 *        mockenv --list-profiles | --list-faults
 * Exit status: the command's (128+N when killed by signal N); 2 usage, unknown profile or
 * fault; 125 the environment cannot be set up (not root, no /dev/fuse, unshare or mount
 * failing, mockfs not starting); 126/127 the command cannot be run.
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
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/profile.h"
#include "teeabi/version.h"

#define EXIT_USAGE 2
#define EXIT_ENV 125
#define FUSE_SUPER_MAGIC 0x65735546

#define MAX_FAULTS 64

static char work[PATH_MAX];          /* private tmpfs, holds the FUSE mount point */
static char agent_dir[PATH_MAX];     /* the mock dstack agent's sockets and log (setup_agent) */
static pid_t mockfs_pid = -1;
static volatile sig_atomic_t cmd_pid = -1;

/* Mount points made in the namespace, undone in reverse at the end. */
static char *undo[64];
static int nundo;

static void die_env(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void teardown(void);

static void die_env(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "mockenv: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
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
	FILE *f = fopen(path, "re");
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
	char rel[128];
	snprintf(rel, sizeof(rel), "%s\n", p->kernel);
	path_join(a, sizeof(a), work, "osrelease");
	write_file(a, rel);
	xmount(a, "/proc/sys/kernel/osrelease", NULL, MS_BIND, NULL);
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

	mockfs_pid = fork();
	if (mockfs_pid < 0)
		die_env("fork: %s", strerror(errno));
	if (mockfs_pid == 0) {
		/* mockfs keeps running while the command is signalled */
		signal(SIGINT, SIG_IGN);
		execv(bin, argv);
		fprintf(stderr, "mockenv: exec %s: %s\n", bin, strerror(errno));
		_exit(EXIT_ENV);
	}
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
		rmdir(work);
		work[0] = 0;
	}
}

static void forward(int sig)
{
	if (cmd_pid > 0)
		kill((pid_t)cmd_pid, sig);
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
		"Exit: CMD's status (128+N on signal N); 2 usage/unknown profile or fault;\n"
		"125 environment (not root, no /dev/fuse, unshare/mount failing, mockfs not starting);\n"
		"126/127 CMD cannot be run.\n");
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

	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'F':
			if (nfaults == MAX_FAULTS) {
				fprintf(stderr, "mockenv: too many --fault options\n");
				return EXIT_USAGE;
			}
			faults[nfaults++] = optarg;
			break;
		case 't': trace = optarg; break;
		case 'b': bench = true; break;
		case 'L': return list_profiles(stdout, true);
		case 'l': return list_faults(stdout, true);
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!profile || optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	struct teeabi_profile p;
	if (teeabi_profile_load(teeabi_profile_dir(), profile, &p, err, sizeof(err))) {
		fprintf(stderr, "mockenv: %s\nvalid profiles:\n", err);
		list_profiles(stderr, false);
		return EXIT_USAGE;
	}
	for (int i = 0; i < nfaults; i++) {
		char path[PATH_MAX];
		bool ok = strlen(faults[i]) < 100 && !strchr(faults[i], '/');
		if (ok)
			snprintf(path, sizeof(path), "%s/%s.conf", fault_dir(), faults[i]);
		if (!ok || access(path, R_OK) < 0) {
			fprintf(stderr, "mockenv: unknown fault %s\nvalid faults:\n", faults[i]);
			list_faults(stderr, false);
			return EXIT_USAGE;
		}
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
	if (unshare(CLONE_NEWNS) < 0) {
		fprintf(stderr, "mockenv: unshare(CLONE_NEWNS): %s (a private mount namespace is needed)\n", strerror(errno));
		return EXIT_ENV;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "mockenv: making mounts private: %s\n", strerror(errno));
		return EXIT_ENV;
	}
	umask(0);
	const char *tmp = getenv("TMPDIR");
	snprintf(work, sizeof(work), "%s/teeabi-mockenv.XXXXXX", tmp && *tmp && strlen(tmp) < 200 ? tmp : "/tmp");
	if (!mkdtemp(work)) {
		work[0] = 0;
		die_env("mkdtemp: %s", strerror(errno));
	}
	if (mount("tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV, "mode=700") < 0)
		die_env("tmpfs on %s: %s", work, strerror(errno));

	signal(SIGPIPE, SIG_IGN);
	if (p.agent) {
		path_join(agent_dir, sizeof(agent_dir), work, "agent");
		if (mkdir(agent_dir, 0755) < 0)
			die_env("mkdir %s: %s", agent_dir, strerror(errno));
	}
	start_mockfs(profile, faults, nfaults, trace, bench);
	setup(&p);
	if (p.agent)
		setup_agent();
	umask(022);

	setenv("TEEABI_PROFILE", p.name, 1);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die_env("fork: %s", strerror(errno));
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[optind], &argv[optind]);
		int e = errno;
		fprintf(stderr, "mockenv: %s: %s\n", argv[optind], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	cmd_pid = pid;
	int st = 0, rc;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	cmd_pid = -1;
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
	teardown();
	return rc;
}
