/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mockfs - a libfuse3 low-level daemon that serves one emulated guest (struct tm_dev):
 *
 *   <mnt>/dev/tdx_guest, <mnt>/dev/sev-guest   regular files whose ioctls go to the models
 *   <mnt>/tsm/report/<entry>/<attr>            the configfs-tsm report tree
 *   <mnt>/measurements/<mr>:sha384             the tsm-mr sysfs files
 *   <mnt>/cpu-sev/vmpl                         /sys/devices/system/cpu/sev/vmpl (SNP 6.11+)
 *
 * Only the interfaces the profile has (plus those a matrix fault adds) are there.
 * mockenv binds these at the real paths; anything that opens them is served here.
 *
 * ioctls: FUSE ioctls on regular files are "restricted" (the kernel copies _IOC_SIZE bytes
 * by direction). We ignore the copied buffers and reach the caller's memory ourselves with
 * process_vm_readv/writev on the caller's pid, then reply with no data: this is what the
 * SEV pointer fields and the dstack module's _IOR EXTEND_RTMR (input on an _IOR) need.
 *
 * Permissions: mounted without default_permissions; the kernel's rules are applied here
 * (root bypasses modes on device nodes; sysfs/configfs refuse opens the mode excludes,
 * also for root, which the models decide).
 *
 * usage: mockfs --profile NAME [--fault NAME]... [--trace FILE] [--bench] [-f] [-d] MOUNTPOINT
 */
#define FUSE_USE_VERSION 314
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <search.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "../agent/agent.h"
#include "teeabi/abi.h"
#include "teeabi/profile.h"
#include "teeabi/version.h"

/* Reserved no-op ioctls answered only with --bench: the FUSE round trip without an argument,
 * and with an argument of GET_REPORT0's shape (_IOWR, 1088 bytes in and out), so the
 * benchmark can tell the transport's cost from the model's. */
#define MOCKFS_BENCH_NOP _IO('t', 0x7f)
#define MOCKFS_BENCH_NOP_1088 _IOWR('t', 0x7e, struct teeabi_tdx_report_req)
/* Also only with --bench: the daemon SIGKILLs itself. Tests of what a dead daemon does to a
 * run use it from inside mockenv, whose PID namespace cannot name the daemon. */
#define MOCKFS_BENCH_DIE _IO('t', 0x7d)

enum kind { K_NONE = 0, K_ROOT = 1, K_DEVDIR, K_DEV_TDX, K_DEV_SEV, K_TSMDIR, K_REPORTDIR, K_MRDIR, K_MR, K_ENTRY, K_ATTR, K_SEVDIR, K_SEV_VMPL };

enum {
	INO_ROOT = FUSE_ROOT_ID,
	INO_DEVDIR,
	INO_DEV_TDX,
	INO_DEV_SEV,
	INO_TSMDIR,
	INO_REPORTDIR,
	INO_MRDIR,
	INO_SEVDIR,
	INO_SEV_VMPL,
	INO_MR0 = 100, /* + index, < INO_DYN */
	INO_DYN = 1024, /* a multiple of INO_STRIDE */
};

/* configfs entries and their attribute files get inode numbers per incarnation: an entry
 * removed and re-made with the same name is a new inode (the old one is a dead directory
 * in the kernel's cache). Numbers are never reused: entry k has INO_DYN + k * INO_STRIDE,
 * its attribute i that + 1 + i, so an attribute needs no record of its own. Only live
 * entries have a record (struct dyn, in a tree by name and one by inode); rmdir frees it,
 * so the daemon's memory and lookup cost follow the entries that exist, not every entry
 * ever made. An inode whose entry is gone is simply unknown (ENOENT), which is what a
 * removed configfs item's files give. */
#define INO_STRIDE 16
struct dyn {
	fuse_ino_t ino;
	char name[TM_TSM_NAME_MAX + 1];
};

/* What an inode is, copied out under the lock (records may be freed by another thread). */
struct node {
	enum kind kind;
	int attr;            /* K_ATTR: attribute index */
	fuse_ino_t entry;    /* K_ENTRY, K_ATTR: the entry's inode */
	char name[TM_TSM_NAME_MAX + 1]; /* K_ENTRY, K_ATTR: the entry's name */
};

/* An open configfs attribute file. configfs stores a binary attribute's buffer at the last
 * fput, which close() completes before returning; FUSE sends RELEASE asynchronously after
 * close() returned, so a write handle is committed at FLUSH (synchronous in close()) instead.
 * A dup'd descriptor used after that gets a fresh model handle. */
struct mfh {
	pthread_mutex_t lock;
	struct tm_tsm_fh *fh;
	bool writer;
	int flags;
	int attr;
	char entry[TM_TSM_NAME_MAX + 1];
};

static struct {
	struct tm_dev *d;
	struct teeabi_profile prof;
	bool has_tdx, has_sev, has_tsm, has_mr, has_sevsys;
	bool bench;
	time_t t0;
	/* device node metadata (chmod/chown through the bind at /dev) */
	pthread_mutex_t lock;
	mode_t dev_mode[2];
	uid_t dev_uid[2];
	gid_t dev_gid[2];
	void *by_name, *by_ino;  /* tsearch trees of struct dyn (live entries) */
	size_t ndyn;             /* records in them */
	uint64_t next_entry;     /* entry inodes handed out so far */
	FILE *trace;
	pthread_mutex_t trace_lock;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER, .trace_lock = PTHREAD_MUTEX_INITIALIZER };

/* ------------------------------------------------------------------ trace */

static void node_path(fuse_ino_t ino, char *buf, size_t len);

static void trace(fuse_req_t req, const char *op, fuse_ino_t ino, const char *child, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void trace(fuse_req_t req, const char *op, fuse_ino_t ino, const char *child, const char *fmt, ...)
{
	if (!g.trace)
		return;
	char path[600], extra[200];
	struct timespec ts;
	va_list ap;
	node_path(ino, path, sizeof(path));
	va_start(ap, fmt);
	vsnprintf(extra, sizeof(extra), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	pthread_mutex_lock(&g.trace_lock);
	fprintf(g.trace, "%lld.%06ld pid=%d %s %s%s%s %s\n", (long long)ts.tv_sec, ts.tv_nsec / 1000,
		req ? (int)fuse_req_ctx(req)->pid : 0, op, path, child ? "/" : "", child ? child : "", extra);
	fflush(g.trace);
	pthread_mutex_unlock(&g.trace_lock);
}

/* ------------------------------------------------------------------ inodes */

static void noop_free(void *p) { (void)p; }

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct dyn *)a)->name, ((const struct dyn *)b)->name);
}

static int cmp_ino(const void *a, const void *b)
{
	fuse_ino_t x = ((const struct dyn *)a)->ino, y = ((const struct dyn *)b)->ino;
	return x < y ? -1 : x > y;
}

/* The record of a live entry by name, under g.lock. */
static struct dyn *dyn_by_name(const char *name)
{
	struct dyn key;
	snprintf(key.name, sizeof(key.name), "%s", name);
	void *r = tfind(&key, &g.by_name, cmp_name);
	return r ? *(struct dyn **)r : NULL;
}

static void dyn_drop(struct dyn *x)
{
	tdelete(x, &g.by_name, cmp_name);
	tdelete(x, &g.by_ino, cmp_ino);
	g.ndyn--;
	free(x);
}

/*
 * The inode of entry name in *ino, made when it has none (fresh: always a new one, the old
 * record dropped). 0, -ENOENT when the model has no such entry, -ENOMEM. The model is asked
 * under g.lock: an rmdir removes the model's entry before it drops the record under g.lock,
 * so a record made here is either seen and dropped by that rmdir or not made at all (no
 * record outlives its entry, whatever the races of lookups, mkdirs and rmdirs).
 */
static int dyn_entry(const char *name, bool fresh, fuse_ino_t *ino)
{
	int rc = 0;
	pthread_mutex_lock(&g.lock);
	struct dyn *x = dyn_by_name(name);
	if (x && fresh) {
		dyn_drop(x);
		x = NULL;
	}
	if (!x && !tm_tsm_entry_exists(g.d, name))
		rc = -ENOENT;
	else if (!x && !(x = calloc(1, sizeof(*x))))
		rc = -ENOMEM;
	else if (!x->ino) {
		x->ino = INO_DYN + (fuse_ino_t)(g.next_entry++) * INO_STRIDE;
		snprintf(x->name, sizeof(x->name), "%s", name);
		if (!tsearch(x, &g.by_name, cmp_name)) {
			free(x);
			rc = -ENOMEM;
		} else if (!tsearch(x, &g.by_ino, cmp_ino)) {
			tdelete(x, &g.by_name, cmp_name);
			free(x);
			rc = -ENOMEM;
		} else {
			g.ndyn++;
		}
	}
	*ino = rc ? 0 : x->ino;
	pthread_mutex_unlock(&g.lock);
	return rc;
}

/* The attribute inode i of entry inode e. */
static fuse_ino_t attr_ino(fuse_ino_t e, int i)
{
	return e + 1 + (fuse_ino_t)i;
}

/* rmdir: the entry's record goes (its inodes become unknown). */
static void dyn_kill_entry(const char *name)
{
	pthread_mutex_lock(&g.lock);
	struct dyn *x = dyn_by_name(name);
	if (x)
		dyn_drop(x);
	pthread_mutex_unlock(&g.lock);
}

/* Fill n for a dynamic inode; false if its entry has no record. */
static bool dyn_node(fuse_ino_t ino, struct node *n)
{
	struct dyn key = { .ino = ino - (ino - INO_DYN) % INO_STRIDE };
	int a = (int)(ino - key.ino) - 1;
	bool ok = false;
	if (a >= tm_tsm_attr_count(g.d))
		return false;
	pthread_mutex_lock(&g.lock);
	void *r = tfind(&key, &g.by_ino, cmp_ino);
	if (r) {
		const struct dyn *x = *(struct dyn **)r;
		n->kind = a < 0 ? K_ENTRY : K_ATTR;
		n->attr = a;
		n->entry = x->ino;
		memcpy(n->name, x->name, sizeof(n->name));
		ok = true;
	}
	pthread_mutex_unlock(&g.lock);
	return ok;
}

static enum kind kind_of(fuse_ino_t ino, struct node *n)
{
	memset(n, 0, sizeof(*n));
	n->attr = -1;
	switch (ino) {
	case INO_ROOT: return K_ROOT;
	case INO_DEVDIR: return K_DEVDIR;
	case INO_DEV_TDX: return g.has_tdx ? K_DEV_TDX : 0;
	case INO_DEV_SEV: return g.has_sev ? K_DEV_SEV : 0;
	case INO_TSMDIR: return g.has_tsm ? K_TSMDIR : 0;
	case INO_REPORTDIR: return g.has_tsm ? K_REPORTDIR : 0;
	case INO_MRDIR: return g.has_mr ? K_MRDIR : 0;
	case INO_SEVDIR: return g.has_sevsys ? K_SEVDIR : 0;
	case INO_SEV_VMPL: return g.has_sevsys ? K_SEV_VMPL : 0;
	default: break;
	}
	if (ino >= INO_MR0 && ino < INO_DYN)
		return g.has_mr && (int)(ino - INO_MR0) < tm_mr_count(g.d) ? K_MR : 0;
	if (ino < INO_DYN || !dyn_node(ino, n))
		return 0;
	return n->kind;
}

static void node_path(fuse_ino_t ino, char *buf, size_t len)
{
	struct node x;
	switch (kind_of(ino, &x)) {
	case K_ROOT: snprintf(buf, len, "/"); break;
	case K_DEVDIR: snprintf(buf, len, "/dev"); break;
	case K_DEV_TDX: snprintf(buf, len, "/dev/tdx_guest"); break;
	case K_DEV_SEV: snprintf(buf, len, "/dev/sev-guest"); break;
	case K_TSMDIR: snprintf(buf, len, "/tsm"); break;
	case K_REPORTDIR: snprintf(buf, len, "/tsm/report"); break;
	case K_MRDIR: snprintf(buf, len, "/measurements"); break;
	case K_SEVDIR: snprintf(buf, len, "/cpu-sev"); break;
	case K_SEV_VMPL: snprintf(buf, len, "/cpu-sev/vmpl"); break;
	case K_MR: snprintf(buf, len, "/measurements/%s", tm_mr_name(g.d, (int)(ino - INO_MR0))); break;
	case K_ENTRY: snprintf(buf, len, "/tsm/report/%s", x.name); break;
	case K_ATTR: {
		snprintf(buf, len, "/tsm/report/%s/%s", x.name, tm_tsm_attr_name(g.d, x.attr));
		break;
	}
	default: snprintf(buf, len, "(ino %" PRIu64 ")", (uint64_t)ino); break;
	}
}

/* Fill st for ino; 0 or -errno. */
static int do_stat(fuse_ino_t ino, struct stat *st)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_atime = st->st_mtime = st->st_ctime = g.t0;
	switch (k) {
	case K_ROOT:
	case K_DEVDIR:
	case K_TSMDIR:
	case K_REPORTDIR:
	case K_MRDIR:
	case K_SEVDIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	case K_ENTRY:
		if (!tm_tsm_entry_exists(g.d, x.name))
			return -ENOENT;
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	case K_DEV_TDX:
	case K_DEV_SEV: {
		int i = k == K_DEV_SEV;
		pthread_mutex_lock(&g.lock);
		st->st_mode = S_IFREG | g.dev_mode[i];
		st->st_uid = g.dev_uid[i];
		st->st_gid = g.dev_gid[i];
		pthread_mutex_unlock(&g.lock);
		return 0;
	}
	case K_MR:
		st->st_mode = S_IFREG | (tm_mr_mode(g.d, (int)(ino - INO_MR0)) & 07777);
		st->st_size = 48;
		return 0;
	case K_SEV_VMPL:
		/* __ATTR_RO (arch/x86/coco/sev/core.c vmpl_attr); mockfs-sev-vmpl-mode-0400: root only */
		st->st_mode = S_IFREG | (tm_has_fault(g.d, TM_FAULT_MOCKFS_SEV_VMPL_MODE_0400) ? 0400 : 0444);
		st->st_size = 4096; /* sysfs attributes report a page */
		return 0;
	case K_ATTR: {
		if (!tm_tsm_entry_exists(g.d, x.name))
			return -ENOENT;
		st->st_mode = S_IFREG | (tm_tsm_attr_mode(g.d, x.attr) & 07777);
		st->st_size = 4096;
		return 0;
	}
	default:
		return -ENOENT;
	}
}

/* ------------------------------------------------------------------ permissions */

/* Mode check for a non-root caller against a root-owned (or dev_uid-owned) file. */
static bool may(fuse_req_t req, mode_t mode, uid_t uid, gid_t gid, int want /* 4 r, 2 w, 1 x */)
{
	const struct fuse_ctx *c = fuse_req_ctx(req);
	unsigned bits;
	if (c->uid == 0)
		return true;
	if (c->uid == uid)
		bits = (mode >> 6) & 7;
	else if (c->gid == gid)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (bits & (unsigned)want) == (unsigned)want;
}

static int acc_want(int flags)
{
	int a = flags & O_ACCMODE;
	return a == O_RDONLY ? 4 : a == O_WRONLY ? 2 : 6;
}

/* ------------------------------------------------------------------ user memory */

/* The caller's memory. The argument struct itself is served from what the kernel copied
 * in (in_buf, for _IOC_WRITE commands) and, for _IOC_READ commands, written back by the
 * kernel from our reply on success; everything else (pointer fields, input on an _IOR, the
 * struct when the result is an error) goes through process_vm_readv/writev. */
struct ua_ctx {
	pid_t pid;
	uint64_t arg;       /* user address of the argument struct */
	uint8_t *buf;       /* its bytes (in_buf contents, then our writes) */
	size_t len;         /* _IOC_SIZE */
	bool have_in;       /* buf holds the caller's bytes (kernel copied them in) */
	bool reply_out;     /* the kernel copies buf back on a successful reply */
	bool dirty;         /* buf written */
	size_t dlo, dhi;    /* the written byte range of buf, when dirty */
};

static bool in_arg(const struct ua_ctx *u, uint64_t uaddr, size_t len)
{
	return u->buf && uaddr >= u->arg && uaddr - u->arg <= u->len && len <= u->len - (uaddr - u->arg);
}

static int ua_read(void *ctx, uint64_t uaddr, void *dst, size_t len)
{
	struct ua_ctx *u = ctx;
	if (!len)
		return 0;
	if (!uaddr || uaddr + len < uaddr)
		return -EFAULT;
	if (u->have_in && in_arg(u, uaddr, len)) {
		memcpy(dst, u->buf + (uaddr - u->arg), len);
		return 0;
	}
	struct iovec l = { dst, len }, r = { (void *)(uintptr_t)uaddr, len };
	ssize_t n = process_vm_readv(u->pid, &l, 1, &r, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

static int ua_write(void *ctx, uint64_t uaddr, const void *src, size_t len)
{
	struct ua_ctx *u = ctx;
	if (!len)
		return 0;
	if (!uaddr || uaddr + len < uaddr)
		return -EFAULT;
	if (u->have_in && u->reply_out && in_arg(u, uaddr, len)) {
		size_t lo = (size_t)(uaddr - u->arg);
		memcpy(u->buf + lo, src, len);
		if (!u->dirty || lo < u->dlo)
			u->dlo = lo;
		if (!u->dirty || lo + len > u->dhi)
			u->dhi = lo + len;
		u->dirty = true;
		return 0;
	}
	struct iovec l = { (void *)src, len }, r = { (void *)(uintptr_t)uaddr, len };
	ssize_t n = process_vm_writev(u->pid, &l, 1, &r, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

/* ------------------------------------------------------------------ replies */

static void reply_entry(fuse_req_t req, fuse_ino_t ino)
{
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	int r = do_stat(ino, &e.attr);
	if (r) {
		fuse_reply_err(req, -r);
		return;
	}
	e.ino = ino;
	e.generation = 1;
	/* no caching: every lookup and stat reaches the model (entries come and go) */
	e.attr_timeout = 0;
	e.entry_timeout = 0;
	fuse_reply_entry(req, &e);
}

/* ------------------------------------------------------------------ lookup / attr */

static void ll_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct node x;
	fuse_ino_t ino = 0;
	enum kind k = kind_of(parent, &x);
	int i;

	switch (k) {
	case K_ROOT:
		if (!strcmp(name, "dev")) ino = INO_DEVDIR;
		else if (!strcmp(name, "tsm") && g.has_tsm) ino = INO_TSMDIR;
		else if (!strcmp(name, "measurements") && g.has_mr) ino = INO_MRDIR;
		else if (!strcmp(name, "cpu-sev") && g.has_sevsys) ino = INO_SEVDIR;
		break;
	case K_SEVDIR:
		if (!strcmp(name, "vmpl")) ino = INO_SEV_VMPL;
		break;
	case K_DEVDIR:
		if (!strcmp(name, "tdx_guest") && g.has_tdx) ino = INO_DEV_TDX;
		else if (!strcmp(name, "sev-guest") && g.has_sev) ino = INO_DEV_SEV;
		break;
	case K_TSMDIR:
		if (!strcmp(name, "report")) ino = INO_REPORTDIR;
		break;
	case K_REPORTDIR:
		if (strlen(name) <= TM_TSM_NAME_MAX)
			dyn_entry(name, false, &ino);
		break;
	case K_ENTRY:
		if (tm_tsm_entry_exists(g.d, x.name) && (i = tm_tsm_attr_lookup(g.d, name)) >= 0)
			ino = attr_ino(parent, i);
		break;
	case K_MRDIR:
		if ((i = tm_mr_lookup(g.d, name)) >= 0)
			ino = INO_MR0 + (fuse_ino_t)i;
		break;
	case K_NONE:
		fuse_reply_err(req, ENOENT);
		return;
	default:
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (!ino) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	reply_entry(req, ino);
}

static void ll_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int r = do_stat(ino, &st);
	if (r)
		fuse_reply_err(req, -r);
	else
		fuse_reply_attr(req, &st, 0);
}

static void ll_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	const struct fuse_ctx *c = fuse_req_ctx(req);
	struct stat st;
	int r = do_stat(ino, &st);
	if (r) {
		fuse_reply_err(req, -r);
		return;
	}
	if (k == K_DEV_TDX || k == K_DEV_SEV) {
		int i = k == K_DEV_SEV;
		pthread_mutex_lock(&g.lock);
		if ((to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) && c->uid != 0 &&
		    (c->uid != g.dev_uid[i] || (to_set & FUSE_SET_ATTR_UID))) {
			pthread_mutex_unlock(&g.lock);
			fuse_reply_err(req, EPERM);
			return;
		}
		if (to_set & FUSE_SET_ATTR_MODE)
			g.dev_mode[i] = attr->st_mode & 07777;
		if (to_set & FUSE_SET_ATTR_UID)
			g.dev_uid[i] = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			g.dev_gid[i] = attr->st_gid;
		pthread_mutex_unlock(&g.lock);
		trace(req, "setattr", ino, NULL, "mode=0%o", (unsigned)(attr->st_mode & 07777));
		ll_getattr(req, ino, fi);
		return;
	}
	/* sysfs/configfs attribute files: truncation (open with O_TRUNC) is a no-op;
	 * ownership and mode changes are not emulated */
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	if ((to_set & FUSE_SET_ATTR_SIZE) && !S_ISREG(st.st_mode)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	fuse_reply_attr(req, &st, 0);
}

static void ll_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct stat st;
	int r = do_stat(ino, &st);
	if (r) {
		fuse_reply_err(req, -r);
		return;
	}
	int want = ((mask & R_OK) ? 4 : 0) | ((mask & W_OK) ? 2 : 0) | ((mask & X_OK) ? 1 : 0);
	fuse_reply_err(req, may(req, st.st_mode, st.st_uid, st.st_gid, want) ? 0 : EACCES);
}

/* ------------------------------------------------------------------ directories */

struct dbuf {
	char *p;
	size_t len, cap;
};

static void dadd(fuse_req_t req, struct dbuf *b, const char *name, fuse_ino_t ino, mode_t mode)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_ino = ino;
	st.st_mode = mode;
	size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);
	if (b->len + need > b->cap) {
		size_t nc = (b->cap + need) * 2;
		char *np = realloc(b->p, nc);
		if (!np)
			return;
		b->p = np;
		b->cap = nc;
	}
	fuse_add_direntry(req, b->p + b->len, need, name, &st, (off_t)(b->len + need));
	b->len += need;
}

static void ll_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int r = do_stat(ino, &st);
	if (r)
		fuse_reply_err(req, -r);
	else if (!S_ISDIR(st.st_mode))
		fuse_reply_err(req, ENOTDIR);
	else
		fuse_reply_open(req, fi);
}

static void ll_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	struct dbuf b = { 0 };
	struct stat st;

	if (do_stat(ino, &st)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	dadd(req, &b, ".", ino, S_IFDIR);
	dadd(req, &b, "..", INO_ROOT, S_IFDIR);
	switch (k) {
	case K_ROOT:
		dadd(req, &b, "dev", INO_DEVDIR, S_IFDIR);
		if (g.has_tsm)
			dadd(req, &b, "tsm", INO_TSMDIR, S_IFDIR);
		if (g.has_mr)
			dadd(req, &b, "measurements", INO_MRDIR, S_IFDIR);
		if (g.has_sevsys)
			dadd(req, &b, "cpu-sev", INO_SEVDIR, S_IFDIR);
		break;
	case K_SEVDIR:
		dadd(req, &b, "vmpl", INO_SEV_VMPL, S_IFREG);
		break;
	case K_DEVDIR:
		if (g.has_tdx)
			dadd(req, &b, "tdx_guest", INO_DEV_TDX, S_IFREG);
		if (g.has_sev)
			dadd(req, &b, "sev-guest", INO_DEV_SEV, S_IFREG);
		break;
	case K_TSMDIR:
		dadd(req, &b, "report", INO_REPORTDIR, S_IFDIR);
		break;
	case K_REPORTDIR: {
		int n = tm_tsm_list(g.d, NULL, 0), m;
		char(*names)[TM_TSM_NAME_MAX + 1] = n > 0 ? calloc((size_t)n, sizeof(*names)) : NULL;
		m = names ? tm_tsm_list(g.d, names, n) : 0;
		for (int i = 0; i < m && i < n; i++) {
			fuse_ino_t e;
			if (dyn_entry(names[i], false, &e) == 0)
				dadd(req, &b, names[i], e, S_IFDIR);
		}
		free(names);
		break;
	}
	case K_ENTRY:
		for (int i = 0; i < tm_tsm_attr_count(g.d); i++)
			dadd(req, &b, tm_tsm_attr_name(g.d, i), attr_ino(ino, i), S_IFREG);
		break;
	case K_MRDIR:
		for (int i = 0; i < tm_mr_count(g.d); i++)
			dadd(req, &b, tm_mr_name(g.d, i), INO_MR0 + (fuse_ino_t)i, S_IFREG);
		break;
	default:
		free(b.p);
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (off < 0 || (size_t)off >= b.len)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_buf(req, b.p + off, b.len - (size_t)off < size ? b.len - (size_t)off : size);
	free(b.p);
}

static void ll_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct node x;
	enum kind k = kind_of(parent, &x);
	if (k != K_REPORTDIR) {
		trace(req, "mkdir", parent, name, "-> EPERM");
		fuse_reply_err(req, k ? EPERM : ENOENT);
		return;
	}
	if (!may(req, 0755, 0, 0, 3)) {
		trace(req, "mkdir", parent, name, "-> EACCES");
		fuse_reply_err(req, EACCES);
		return;
	}
	if (strlen(name) > TM_TSM_NAME_MAX) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	int r = tm_tsm_mkdir(g.d, name);
	trace(req, "mkdir", parent, name, "-> %d", r);
	if (r) {
		fuse_reply_err(req, -r);
		return;
	}
	fuse_ino_t ino;
	r = dyn_entry(name, true, &ino);
	if (r == -ENOMEM)
		tm_tsm_rmdir(g.d, name);
	if (r) {
		/* -ENOENT: another process removed the entry since */
		fuse_reply_err(req, -r);
		return;
	}
	reply_entry(req, ino);
}

static void ll_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct node x;
	enum kind k = kind_of(parent, &x);
	if (k != K_REPORTDIR) {
		fuse_reply_err(req, k ? EPERM : ENOENT);
		return;
	}
	if (!may(req, 0755, 0, 0, 3)) {
		trace(req, "rmdir", parent, name, "-> EACCES");
		fuse_reply_err(req, EACCES);
		return;
	}
	int r = tm_tsm_rmdir(g.d, name);
	trace(req, "rmdir", parent, name, "-> %d", r);
	if (r == 0)
		dyn_kill_entry(name);
	fuse_reply_err(req, r ? -r : 0);
}

/* Creating files, links, renames: configfs has no create (EACCES from the VFS), sysfs and
 * the device directory are not writable. */
static int no_create_errno(fuse_ino_t parent)
{
	struct node x;
	enum kind k = kind_of(parent, &x);
	if (!k)
		return ENOENT;
	return k == K_REPORTDIR || k == K_ENTRY || k == K_TSMDIR ? EACCES : EPERM;
}

static void ll_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi)
{
	fuse_reply_err(req, no_create_errno(parent));
}

static void ll_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	fuse_reply_err(req, no_create_errno(parent));
}

static void ll_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, no_create_errno(parent) == EACCES ? EPERM : EPERM);
}

static void ll_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, EPERM);
}

static void ll_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	fuse_reply_err(req, EPERM);
}

/* ------------------------------------------------------------------ files */

static void mfh_free(struct mfh *m)
{
	if (!m)
		return;
	tm_tsm_release(m->fh);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* The model handle of m, re-opened after a flush committed it; NULL with *err set. */
static struct tm_tsm_fh *mfh_get(struct mfh *m, int *err)
{
	if (!m->fh) {
		int r = tm_tsm_open(g.d, m->entry, tm_tsm_attr_name(g.d, m->attr), m->flags, &m->fh);
		if (r) {
			*err = r;
			m->fh = NULL;
		}
	}
	return m->fh;
}

static void ll_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	struct stat st;
	int r = do_stat(ino, &st);

	if (r) {
		trace(req, "open", ino, NULL, "-> %d", r);
		fuse_reply_err(req, -r);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->nonseekable = 0;
	if ((fi->flags & O_ACCMODE) == O_ACCMODE) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (!may(req, st.st_mode, st.st_uid, st.st_gid, acc_want(fi->flags))) {
		trace(req, "open", ino, NULL, "flags=0x%x -> EACCES", fi->flags);
		fuse_reply_err(req, EACCES);
		return;
	}
	switch (k) {
	case K_DEV_TDX:
	case K_DEV_SEV:
		/* 1 marks a read-only fd for the fault below; the drivers check no f_mode */
		fi->fh = tm_has_fault(g.d, TM_FAULT_MOCKFS_DEV_IOCTL_RDONLY_EBADF) && (fi->flags & O_ACCMODE) == O_RDONLY;
		break;
	case K_SEV_VMPL:
	case K_MR: {
		/* sysfs: opening for write a file without a write bit (or read without a read
		 * bit) is EACCES, also for root */
		int want = acc_want(fi->flags);
		bool check = !(k == K_MR && tm_has_fault(g.d, TM_FAULT_MOCKFS_MR_OPEN_MODE_NOT_CHECKED));
		if (check && (((want & 2) && !(st.st_mode & 0222)) || ((want & 4) && !(st.st_mode & 0444)))) {
			trace(req, "open", ino, NULL, "flags=0x%x -> EACCES", fi->flags);
			fuse_reply_err(req, EACCES);
			return;
		}
		fi->fh = 0;
		break;
	}
	case K_ATTR: {
		struct tm_tsm_fh *fh = NULL;
		struct mfh *m = calloc(1, sizeof(*m));
		if (!m) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		r = tm_tsm_open(g.d, x.name, tm_tsm_attr_name(g.d, x.attr), fi->flags, &fh);
		trace(req, "open", ino, NULL, "flags=0x%x -> %d", fi->flags, r);
		if (r) {
			free(m);
			fuse_reply_err(req, -r);
			return;
		}
		pthread_mutex_init(&m->lock, NULL);
		m->fh = fh;
		m->writer = (fi->flags & O_ACCMODE) != O_RDONLY;
		m->flags = fi->flags & ~(O_TRUNC | O_CREAT | O_EXCL);
		m->attr = x.attr;
		snprintf(m->entry, sizeof(m->entry), "%s", x.name);
		fi->fh = (uint64_t)(uintptr_t)m;
		break;
	}
	default:
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (fuse_reply_open(req, fi) == -ENOENT && k == K_ATTR)
		mfh_free((struct mfh *)(uintptr_t)fi->fh); /* the opener was interrupted */
}

static void ll_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	ssize_t r;
	char *buf = size ? malloc(size) : NULL;
	if (size && !buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (k == K_ATTR || (k == 0 && fi->fh && ino >= INO_DYN)) {
		struct mfh *m = (struct mfh *)(uintptr_t)fi->fh;
		int e = -EBADF;
		pthread_mutex_lock(&m->lock);
		struct tm_tsm_fh *fh = mfh_get(m, &e);
		r = fh ? tm_tsm_read(fh, buf, size, off) : e;
		pthread_mutex_unlock(&m->lock);
	} else if (k == K_MR)
		r = tm_mr_read(g.d, (int)(ino - INO_MR0), buf, size, off);
	else if (k == K_SEV_VMPL)
		r = tm_sev_sysfs_vmpl_read(g.d, buf, size, off);
	else if (k == K_DEV_TDX || k == K_DEV_SEV)
		/* misc devices without a read op: vfs_read() gives EINVAL (no FMODE_CAN_READ) */
		r = tm_has_fault(g.d, TM_FAULT_MOCKFS_DEV_READ_EOF) ? 0 : -EINVAL;
	else
		r = -EISDIR;
	trace(req, "read", ino, NULL, "len=%zu off=%lld -> %zd", size, (long long)off, r);
	if (r < 0)
		fuse_reply_err(req, (int)-r);
	else
		fuse_reply_buf(req, buf, (size_t)r);
	free(buf);
}

static void ll_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	ssize_t r;
	if (k == K_ATTR || (k == 0 && fi->fh && ino >= INO_DYN)) {
		struct mfh *m = (struct mfh *)(uintptr_t)fi->fh;
		int e = -EBADF;
		pthread_mutex_lock(&m->lock);
		struct tm_tsm_fh *fh = mfh_get(m, &e);
		r = fh ? tm_tsm_write(fh, buf, size, off) : e;
		pthread_mutex_unlock(&m->lock);
	} else if (k == K_MR)
		r = tm_mr_write(g.d, (int)(ino - INO_MR0), buf, size, off);
	else if (k == K_DEV_TDX || k == K_DEV_SEV)
		r = -EINVAL;
	else
		r = -EISDIR;
	trace(req, "write", ino, NULL, "len=%zu off=%lld -> %zd", size, (long long)off, r);
	if (r < 0)
		fuse_reply_err(req, (int)-r);
	else
		fuse_reply_write(req, (size_t)r);
}

static void ll_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	/* close(): commit a configfs write handle now (see struct mfh) */
	if (ino >= INO_DYN && fi->fh) {
		struct mfh *m = (struct mfh *)(uintptr_t)fi->fh;
		pthread_mutex_lock(&m->lock);
		if (m->writer && m->fh) {
			tm_tsm_release(m->fh);
			m->fh = NULL;
			trace(req, "flush", ino, NULL, "%s", "-> committed");
		}
		pthread_mutex_unlock(&m->lock);
	}
	fuse_reply_err(req, 0);
}

static void ll_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	/* The attribute file handle lives until release even if the entry is gone. */
	if (ino >= INO_DYN && fi->fh) {
		mfh_free((struct mfh *)(uintptr_t)fi->fh);
		trace(req, "release", ino, NULL, "%s", "-> 0");
	}
	fuse_reply_err(req, 0);
}

static void ll_ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd, void *arg, struct fuse_file_info *fi, unsigned flags,
		     const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
	struct node x;
	enum kind k = kind_of(ino, &x);
	long r;

	if (flags & FUSE_IOCTL_COMPAT) {
		trace(req, "ioctl", ino, NULL, "cmd=0x%08x compat -> ENOSYS", cmd);
		fuse_reply_err(req, ENOSYS);
		return;
	}
	if (g.bench && cmd == MOCKFS_BENCH_DIE && (k == K_DEV_TDX || k == K_DEV_SEV)) {
		trace(req, "ioctl", ino, NULL, "%s", "bench: die");
		raise(SIGKILL);
	}
	if (g.bench && (cmd == MOCKFS_BENCH_NOP || cmd == MOCKFS_BENCH_NOP_1088) && (k == K_DEV_TDX || k == K_DEV_SEV)) {
		fuse_reply_ioctl(req, 0, NULL, 0);
		return;
	}
	struct ua_ctx u = { .pid = fuse_req_ctx(req)->pid, .arg = (uint64_t)(uintptr_t)arg, .len = _IOC_SIZE(cmd) };
	struct tm_uaccess ua = { .read = ua_read, .write = ua_write, .ctx = &u };
	uint8_t local[1024 + 64 + 64];
	/* restricted ioctl: in_bufsz = out_bufsz = _IOC_SIZE by direction */
	if (u.len && u.len <= sizeof(local) && in_bufsz == u.len) {
		memcpy(local, in_buf, u.len);
		u.buf = local;
		u.have_in = true;
		u.reply_out = out_bufsz == u.len;
	}
	if ((k == K_DEV_TDX || k == K_DEV_SEV) && fi && fi->fh == 1)
		r = -EBADF; /* fault: an FMODE_WRITE check in the ioctl path */
	else if (k == K_DEV_TDX)
		r = tm_tdx_ioctl(g.d, cmd, u.arg, &ua);
	else if (k == K_DEV_SEV)
		r = tm_sev_ioctl(g.d, cmd, u.arg, &ua);
	else
		r = -ENOTTY; /* sysfs/configfs files have no ioctl */
	trace(req, "ioctl", ino, NULL, "cmd=0x%08x arg=0x%" PRIxPTR " -> %ld", cmd, (uintptr_t)arg, r);
	/* A caller that died meanwhile makes the reply fail (ENOENT); nothing to undo. */
	if (r < 0) {
		/* the kernel copies nothing back with an error: write what the model wrote */
		if (u.dirty)
			(void)process_vm_writev(u.pid, &(struct iovec){ local, u.len }, 1,
						&(struct iovec){ arg, u.len }, 1, 0);
		fuse_reply_err(req, (int)-r);
	} else if (u.dirty && u.dlo > 0) {
		/* A reply is copied back from the start of the struct; a driver that writes only a
		 * later part of it (GET_REPORT0: the tdreport behind the reportdata) must not
		 * touch the bytes before, which may sit in a read-only page. */
		if (process_vm_writev(u.pid, &(struct iovec){ local + u.dlo, u.dhi - u.dlo }, 1,
				      &(struct iovec){ (uint8_t *)arg + u.dlo, u.dhi - u.dlo }, 1, 0) != (ssize_t)(u.dhi - u.dlo))
			fuse_reply_err(req, EFAULT);
		else
			fuse_reply_ioctl(req, (int)r, NULL, 0);
	} else if (u.dirty) {
		fuse_reply_ioctl(req, (int)r, local, u.len);
	} else {
		fuse_reply_ioctl(req, (int)r, NULL, 0);
	}
}

static void ll_init(void *userdata, struct fuse_conn_info *conn)
{
	/* open(O_TRUNC) arrives as an open flag instead of a separate setattr */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	conn->want &= ~(unsigned)FUSE_CAP_ASYNC_READ;
}

static const struct fuse_lowlevel_ops ops = {
	.init = ll_init,
	.lookup = ll_lookup,
	.getattr = ll_getattr,
	.setattr = ll_setattr,
	.access = ll_access,
	.opendir = ll_opendir,
	.readdir = ll_readdir,
	.mkdir = ll_mkdir,
	.rmdir = ll_rmdir,
	.create = ll_create,
	.mknod = ll_mknod,
	.unlink = ll_unlink,
	.symlink = ll_symlink,
	.rename = ll_rename,
	.open = ll_open,
	.read = ll_read,
	.write = ll_write,
	.flush = ll_flush,
	.release = ll_release,
	.ioctl = ll_ioctl,
};

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f, "usage: mockfs --profile NAME [--fault NAME]... [--trace FILE] [--bench] [--agent-dir DIR] [-f] [-d] MOUNTPOINT\n"
		   "Serves dev/{tdx_guest,sev-guest}, tsm/report and measurements of the emulated guest;\n"
		   "with --agent-dir, on a profile with agent = 1, the dstack guest agent's sockets in DIR.\n"
		   "Exit: 0 unmounted cleanly, 1 FUSE/mount error, 2 usage, unknown profile or fault.\n");
}

static void list_profiles(FILE *f)
{
	char names[256][64];
	int n = teeabi_profile_list(teeabi_profile_dir(), names, 256);
	fprintf(f, "profiles in %s:", teeabi_profile_dir());
	for (int i = 0; i < n; i++)
		fprintf(f, " %s", names[i]);
	fprintf(f, "\n");
}

int main(int argc, char **argv)
{
	teeabi_version_option(argc, argv);
	static const struct option lo[] = {
		{ "profile", required_argument, 0, 'p' }, { "fault", required_argument, 0, 'F' },
		{ "trace", required_argument, 0, 't' },   { "bench", no_argument, 0, 'b' },
		{ "foreground", no_argument, 0, 'f' },    { "debug", no_argument, 0, 'd' },
		{ "help", no_argument, 0, 'h' },          { "agent-dir", required_argument, 0, 'A' },
		{ 0, 0, 0, 0 },
	};
	const char *profile = NULL, *trace_path = NULL, *agent_dir = NULL;
	struct tm_agent *agent = NULL;
	tm_fault_mask faults = TM_NO_FAULTS;
	bool fg = false, debug = false;
	int c, rc = 1;
	char err[512];

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":fdh", lo, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'F': {
			int f = tm_fault_lookup(optarg);
			if (f < 0) {
				fprintf(stderr, "mockfs: unknown fault %s; valid:", optarg);
				for (int i = 0; i < TM_FAULT_COUNT; i++)
					fprintf(stderr, " %s", tm_fault_name(i));
				fprintf(stderr, "\n");
				return 2;
			}
			tm_fault_add(&faults, f);
			break;
		}
		case 't': trace_path = optarg; break;
		case 'A': agent_dir = optarg; break;
		case 'b': g.bench = true; break;
		case 'f': fg = true; break;
		case 'd': debug = true; break;
		case 'h': usage(stdout); return 0;
		case ':': fprintf(stderr, "mockfs: %s needs a value (see mockfs --help)\n", argv[optind - 1]); return 2;
		default: fprintf(stderr, "mockfs: unknown option %s (see mockfs --help)\n", argv[optind - 1]); return 2;
		}
	}
	if (!profile || optind != argc - 1) {
		fprintf(stderr, "mockfs: --profile NAME and one MOUNTPOINT are required (see mockfs --help)\n");
		return 2;
	}
	const char *mnt = argv[optind];
	if (teeabi_profile_load(teeabi_profile_dir(), profile, &g.prof, err, sizeof(err))) {
		fprintf(stderr, "mockfs: %s\n", err);
		list_profiles(stderr);
		return 2;
	}
	/* Matrix faults: the machine has an interface its image excludes, or lacks one. */
	if (tm_fault_in(&faults, TM_FAULT_MATRIX_SEV_ON_TDX))
		g.prof.sev_guest = true;
	if (tm_fault_in(&faults, TM_FAULT_MATRIX_CONFIGFS_ON_05))
		g.prof.configfs_tsm = true;
	if (tm_fault_in(&faults, TM_FAULT_MATRIX_NO_PRECREATE))
		g.prof.tsm_precreate[0] = 0;

	g.d = tm_new(&g.prof, faults);
	if (!g.d) {
		fprintf(stderr, "mockfs: cannot create the device model (PKI/allocation failure)\n");
		return 1;
	}
	if (tm_tsm_attr_count(g.d) >= INO_STRIDE) {
		fprintf(stderr, "mockfs: %d configfs attributes do not fit the inode stride %d\n", tm_tsm_attr_count(g.d), INO_STRIDE);
		tm_free(g.d);
		return 1;
	}
	g.has_tdx = g.prof.tdx_guest != TEEABI_TDX_ABSENT;
	g.has_sev = g.prof.sev_guest;
	g.has_tsm = tm_tsm_root_exists(g.d);
	g.has_mr = tm_mr_count(g.d) > 0;
	g.has_sevsys = tm_sev_sysfs_present(g.d);
	g.t0 = time(NULL);
	/* the nodes' mode: the image's (dev_mode), else as devtmpfs leaves it, 0600 */
	for (int i = 0; i < 2; i++)
		g.dev_mode[i] = tm_has_fault(g.d, TM_FAULT_MOCKFS_DEV_NODES_WORLD_WRITABLE) ? 0666
				: g.prof.dev_mode >= 0 ? (mode_t)g.prof.dev_mode : 0600;
	if (trace_path) {
		g.trace = fopen(trace_path, "ae");
		if (!g.trace) {
			fprintf(stderr, "mockfs: --trace %s: %s\n", trace_path, strerror(errno));
			tm_free(g.d);
			return 2;
		}
	}

	char *fargv[4];
	int fargc = 0;
	fargv[fargc++] = argv[0];
	if (debug)
		fargv[fargc++] = "-d";
	fargv[fargc++] = "-o";
	fargv[fargc++] = "allow_other,fsname=teeabi-mockfs,subtype=teeabi";
	struct fuse_args args = FUSE_ARGS_INIT(fargc, fargv);
	struct fuse_session *se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!se) {
		fprintf(stderr, "mockfs: fuse_session_new failed\n");
		goto out_model;
	}
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (fuse_session_mount(se, mnt) != 0) {
		fprintf(stderr, "mockfs: cannot mount on %s (root and /dev/fuse needed)\n", mnt);
		goto out_signals;
	}
	if (fuse_daemonize(fg) != 0)
		goto out_unmount;
	if (agent_dir && g.prof.agent) {
		/* the dstack guest agent on the same machine (mocks/agent/agent.h) */
		char aerr[300];
		agent = tm_agent_start(g.d, agent_dir, aerr, sizeof(aerr));
		if (!agent) {
			fprintf(stderr, "mockfs: agent: %s\n", aerr);
			goto out_unmount;
		}
	}
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	if (!cfg)
		goto out_unmount;
	fuse_loop_cfg_set_max_threads(cfg, 16);
	fuse_loop_cfg_set_idle_threads(cfg, 4);
	int lr = fuse_session_loop_mt(se, cfg);
	/* ended by SIGTERM/SIGINT/SIGHUP (the loop reports the signal) or by unmount: clean */
	rc = (lr == 0 || lr == SIGTERM || lr == SIGINT || lr == SIGHUP) ? 0 : 1;
	fuse_loop_cfg_destroy(cfg);
out_unmount:
	tm_agent_stop(agent);
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
	fuse_opt_free_args(&args);
out_model:
	tm_free(g.d);
	pthread_mutex_lock(&g.lock);
	tdestroy(g.by_ino, noop_free);
	tdestroy(g.by_name, free);
	pthread_mutex_unlock(&g.lock);
	if (g.trace)
		fclose(g.trace);
	return rc;
}
