/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/run/fsio.c - report files whose every write is checked: a temporary name in the
 * same directory, write/fsync/close checked, then rename. The first failure of the run is
 * kept so the verdict can name it (path and errno); any failure makes the run exit 1.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "run.h"

const char *run_prog = "teeabi-run";
static int io_failures;
static char io_first[4600], io_last[4600];

const char *errno_name(int err)
{
	static char buf[24];
	const char *n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

void run_io_error_line(const char *line)
{
	fprintf(stderr, "%s: cannot write a report: %s\n", run_prog, line);
	snprintf(io_last, sizeof(io_last), "%s", line);
	if (io_failures++ == 0)
		snprintf(io_first, sizeof(io_first), "%s", line);
}

void run_io_error(const char *path, const char *op, int err)
{
	char line[sizeof(io_first)];
	snprintf(line, sizeof(line), "%s: %s: %s (%s)", path, op, strerror(err), errno_name(err));
	run_io_error_line(line);
}

const char *run_io_last(void)
{
	return io_last;
}

int run_io_failed(void)
{
	return io_failures;
}

const char *run_io_first(void)
{
	return io_first;
}

int wf_open(struct wfile *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (snprintf(w->path, sizeof(w->path), "%s", path) >= (int)sizeof(w->path)) {
		run_io_error(path, "path", ENAMETOOLONG);
		return -1;
	}
	snprintf(w->tmp, sizeof(w->tmp), "%s.tmp.%d", path, (int)getpid());
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		w->err = errno;
		w->op = "open";
		run_io_error(w->path, "open", w->err);
		return -1;
	}
	return 0;
}

void wf_write(struct wfile *w, const void *buf, size_t n)
{
	const char *p = buf;
	if (w->fd < 0 || w->err)
		return;
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			w->err = errno;
			w->op = "write";
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

void wf_puts(struct wfile *w, const char *s)
{
	wf_write(w, s, strlen(s));
}

void wf_printf(struct wfile *w, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (!w->err) {
			w->err = ENOMEM;
			w->op = "format";
		}
		return;
	}
	wf_write(w, s, (size_t)n);
	free(s);
}

int wf_commit(struct wfile *w, bool sync)
{
	if (w->fd < 0)
		return -1;
	if (!w->err && sync && fsync(w->fd) < 0) {
		w->err = errno;
		w->op = "fsync";
	}
	if (close(w->fd) < 0 && !w->err) {
		w->err = errno;
		w->op = "close";
	}
	w->fd = -1;
	if (!w->err && rename(w->tmp, w->path) < 0) {
		w->err = errno;
		w->op = "rename";
	}
	if (w->err) {
		run_io_error(w->path, w->op, w->err);
		unlink(w->tmp);
		return -1;
	}
	return 0;
}

void wf_abort(struct wfile *w)
{
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
		unlink(w->tmp);
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int r = flag == FTW_DP ? rmdir(path) : unlink(path);
	if (r < 0 && errno != ENOENT) {
		run_io_error(path, flag == FTW_DP ? "rmdir" : "unlink", errno);
		return -1;
	}
	return 0;
}

int rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		run_io_error(path, "stat", errno);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0 && errno != ENOENT) {
			run_io_error(path, "unlink", errno);
			return -1;
		}
		return 0;
	}
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int mkdir_checked(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	}
	run_io_error(path, "mkdir", errno);
	return -1;
}

int slurp(const char *path, size_t cap, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	char *b = malloc(cap + 1);
	if (!b) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	size_t n = 0;
	while (n < cap) {
		ssize_t k = read(fd, b + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			free(b);
			close(fd);
			errno = e;
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	b[n] = 0;
	*out = b;
	*len = n;
	return 0;
}

bool conf_value(const char *text, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, key, kl) != 0)
			continue;
		s += kl;
		s += strspn(s, " \t");
		if (*s != '=')
			continue;
		s++;
		s += strspn(s, " \t");
		size_t l = strcspn(s, "\r\n");
		while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			l--;
		if (l >= outlen)
			l = outlen - 1;
		memcpy(out, s, l);
		out[l] = 0;
		return true;
	}
	out[0] = 0;
	return false;
}

bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-") == n;
}

char *clean_text(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *o = malloc(n + 1);
	if (!o)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		o[i] = (c == '\t' || (c >= 0x20 && c < 0x7f)) ? (char)c : '?';
	}
	o[n] = 0;
	return o;
}

double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
