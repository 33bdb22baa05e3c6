/* SPDX-License-Identifier: Apache-2.0 */
/* file.c - see teeabi/file.h */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teeabi/file.h"

int teeabi_open_regular(const char *path)
{
	struct stat st;
	int fd, fl;

	if (!path || !*path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -TEEABI_ENOTREG;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

FILE *teeabi_fopen_regular(const char *path, int *err)
{
	int fd = teeabi_open_regular(path);
	FILE *f;

	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		*err = -errno;
		close(fd);
	}
	return f;
}

const char *teeabi_open_strerror(int r)
{
	return r == -TEEABI_ENOTREG ? "not a regular file" : strerror(r < 0 ? -r : r);
}

bool teeabi_name_ok(const char *s)
{
	size_t n = 0;

	if (!s || !*s || *s == '-' || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '+' || c == '-'))
			return false;
	}
	return n < 64;
}
