// SPDX-License-Identifier: GPL-2.0
/*
 * teeabi_fw.c - the kernel lane's firmware channel (see teeabi_fw.h, kernel-lane/DESIGN.md).
 *
 * A misc device /dev/teeabi_fw that one firmware daemon holds open, and teeabi_fw_call(),
 * which the hardware shims of the unmodified drivers call where the real driver would
 * execute a TDCALL, a TDVMCALL or an SNP guest request.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "teeabi_fw.h"
#include "teeabi_fw_call.h"

static DEFINE_MUTEX(call_lock);   /* one request in flight */
static DEFINE_MUTEX(state_lock);  /* everything below */
static DECLARE_WAIT_QUEUE_HEAD(req_wq);
static DECLARE_WAIT_QUEUE_HEAD(ans_wq);
static bool attached;
static u32 seq;

static struct {
	bool pending;   /* a request waits for the daemon */
	bool taken;     /* the daemon read it */
	bool done;
	struct teeabi_fw_req req;
	const void *in;
	void *out;
	s32 status;
	u64 val;
	u32 outlen;
	int err;        /* channel error (-EIO daemon gone, -EMSGSIZE answer too long) */
} cur;

int teeabi_fw_call(u32 op, u64 arg, const void *in, u32 inlen, void *out, u32 outcap,
		   u32 *outlen, u64 *val, s32 *status)
{
	long left;
	int ret;

	if (inlen > TEEABI_FW_MAX_PAYLOAD || outcap > TEEABI_FW_MAX_PAYLOAD)
		return -E2BIG;
	mutex_lock(&call_lock);
	mutex_lock(&state_lock);
	if (!attached) {
		mutex_unlock(&state_lock);
		mutex_unlock(&call_lock);
		pr_warn_ratelimited("teeabi_fw: no firmware daemon attached\n");
		return -ENODEV;
	}
	memset(&cur, 0, sizeof(cur));
	cur.req.seq = ++seq;
	cur.req.op = op;
	cur.req.arg = arg;
	cur.req.len = inlen;
	cur.req.outcap = outcap;
	cur.in = in;
	cur.out = out;
	WRITE_ONCE(cur.pending, true);
	mutex_unlock(&state_lock);
	wake_up_interruptible(&req_wq);

	/* Firmware calls are not interruptible; a dead daemon ends the wait with -EIO. */
	left = wait_event_timeout(ans_wq, READ_ONCE(cur.done), 60 * HZ);

	mutex_lock(&state_lock);
	if (!cur.done) {
		ret = -ETIMEDOUT;
	} else {
		ret = cur.err;
		if (!ret) {
			if (outlen)
				*outlen = cur.outlen;
			if (val)
				*val = cur.val;
			if (status)
				*status = cur.status;
		}
	}
	memset(&cur, 0, sizeof(cur));
	mutex_unlock(&state_lock);
	mutex_unlock(&call_lock);
	if (!left)
		pr_warn("teeabi_fw: firmware daemon did not answer op %u\n", op);
	return ret;
}
EXPORT_SYMBOL_GPL(teeabi_fw_call);

static int fw_open(struct inode *inode, struct file *file)
{
	int ret = 0;

	mutex_lock(&state_lock);
	if (attached)
		ret = -EBUSY;
	else
		attached = true;
	mutex_unlock(&state_lock);
	return ret;
}

static int fw_release(struct inode *inode, struct file *file)
{
	mutex_lock(&state_lock);
	attached = false;
	if (cur.pending && !cur.done) {
		cur.err = -EIO;
		WRITE_ONCE(cur.done, true);
		wake_up(&ans_wq);
	}
	mutex_unlock(&state_lock);
	return 0;
}

static ssize_t fw_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	size_t need;
	ssize_t ret;

	if (wait_event_interruptible(req_wq, READ_ONCE(cur.pending) && !READ_ONCE(cur.taken)))
		return -ERESTARTSYS;
	mutex_lock(&state_lock);
	if (!cur.pending || cur.taken) {
		ret = -EAGAIN;
		goto out;
	}
	need = sizeof(cur.req) + cur.req.len;
	if (count < need) {
		ret = -EMSGSIZE;
		goto out;
	}
	if (copy_to_user(buf, &cur.req, sizeof(cur.req)) ||
	    copy_to_user(buf + sizeof(cur.req), cur.in, cur.req.len)) {
		ret = -EFAULT;
		goto out;
	}
	cur.taken = true;
	ret = need;
out:
	mutex_unlock(&state_lock);
	return ret;
}

static ssize_t fw_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct teeabi_fw_ans ans;
	ssize_t ret;

	if (count < sizeof(ans))
		return -EINVAL;
	if (copy_from_user(&ans, buf, sizeof(ans)))
		return -EFAULT;
	mutex_lock(&state_lock);
	if (!cur.taken || cur.done || ans.seq != cur.req.seq) {
		ret = -ESRCH;   /* no such request (timed out, or not read) */
		goto out;
	}
	if (ans.len > cur.req.outcap || count < sizeof(ans) + ans.len) {
		cur.err = -EMSGSIZE;
	} else if (copy_from_user(cur.out, buf + sizeof(ans), ans.len)) {
		ret = -EFAULT;
		goto out;
	} else {
		cur.status = ans.status;
		cur.val = ans.val;
		cur.outlen = ans.len;
	}
	WRITE_ONCE(cur.done, true);
	wake_up(&ans_wq);
	ret = count;
out:
	mutex_unlock(&state_lock);
	return ret;
}

static const struct file_operations fw_fops = {
	.owner = THIS_MODULE,
	.open = fw_open,
	.release = fw_release,
	.read = fw_read,
	.write = fw_write,
	.llseek = noop_llseek,
};

static struct miscdevice fw_dev = {
	.name = "teeabi_fw",
	.minor = MISC_DYNAMIC_MINOR,
	.fops = &fw_fops,
	.mode = 0600,
};

module_misc_device(fw_dev);
MODULE_DESCRIPTION("teeabi kernel lane: channel from the hardware shims to the firmware model");
MODULE_LICENSE("GPL");
