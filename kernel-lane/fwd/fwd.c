/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kernel-lane/fwd/fwd.c - teeabi-fwd, the firmware daemon of the kernel lane's guest: the
 * TDX module and the AMD PSP that the hardware shims of the kernel's unmodified
 * tdx-guest.c / sev-guest.c talk to, through /dev/teeabi_fw (kernel-lane/shim/teeabi_fw.h).
 * The firmware is the project's device model (mocks/model), so the evidence the kernel
 * serves is the same signed evidence mockenv serves.
 *
 *   teeabi-fwd --profile NAME [--fault NAME]... [--device PATH] [--ready FILE]
 *
 * Opens the device, creates FILE (when given) once attached, then answers requests until
 * the device is closed or a signal ends it. Exit 0 on SIGTERM, 1 on an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "model.h"
#include "teeabi/profile.h"
#include "../shim/teeabi_fw.h"

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

/* One answer: status and payload, written in one write() as the channel requires. */
static int answer(int fd, uint32_t seq, int32_t status, uint64_t val, const void *p, uint32_t len, uint8_t *scratch)
{
	struct teeabi_fw_ans a = { .seq = seq, .status = status, .val = val, .len = len };
	memcpy(scratch, &a, sizeof(a));
	if (len)
		memcpy(scratch + sizeof(a), p, len);
	ssize_t w = write(fd, scratch, sizeof(a) + len);
	if (w < 0) {
		fprintf(stderr, "teeabi-fwd: answer %u: %s\n", seq, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- SEV-SNP PSP */

/* struct snp_guest_msg_hdr (SEV-SNP firmware ABI, "Message header") */
#define MSG_PAGE 4096u
#define H_SEQNO 0x20u
#define H_ALGO 0x30u   /* AAD: algo .. end of header */
#define H_HDR_VER 0x31u
#define H_HDR_SZ 0x32u
#define H_TYPE 0x34u
#define H_VER 0x35u
#define H_SZ 0x36u
#define H_VMPCK 0x3cu
#define H_LEN 0x60u
#define AAD_LEN (H_LEN - H_ALGO)
#define PAYLOAD_MAX (MSG_PAGE - H_LEN)
#define VMM_ERR_INVALID_LEN (1ULL << 32)
#define FW_INVALID_PARAM 0x16u

static uint8_t vmpck[4][32];
static uint64_t last_seqno[4];

static uint64_t le64(const uint8_t *p) { uint64_t v = 0; for (int i = 7; i >= 0; i--) v = v << 8 | p[i]; return v; }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* AES-256-GCM of a message payload as the PSP and the driver do it: IV = the 64-bit sequence
 * number (little endian) padded to 12 bytes, AAD = header bytes from algo to its end, 16-byte
 * tag in the header's authtag. Returns 0, or -1 (decrypt: the tag does not verify). */
static int gcm(int enc, const uint8_t key[32], uint8_t *msg, const uint8_t *in, uint8_t *out, int len)
{
	uint8_t iv[12] = { 0 };
	int n = 0, ok;
	memcpy(iv, msg + H_SEQNO, 8);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (!c)
		return -1;
	ok = EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv, enc) &&
	     EVP_CipherUpdate(c, NULL, &n, msg + H_ALGO, AAD_LEN) &&
	     (len == 0 || EVP_CipherUpdate(c, out, &n, in, len)) &&
	     (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, msg)) &&
	     EVP_CipherFinal_ex(c, out + (len ? n : 0), &n) &&
	     (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, msg));
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* The secrets page the PSP installs at launch (SNP firmware ABI "Secrets page"): version,
 * VMPCK0-3 at 0x20 + 32 * n, the guest's OS area (message sequence numbers) zero. */
static int snp_secrets(uint8_t page[MSG_PAGE])
{
	memset(page, 0, MSG_PAGE);
	page[0] = 3;
	if (RAND_bytes(&vmpck[0][0], sizeof(vmpck)) != 1)
		return -1;
	for (int i = 0; i < 4; i++)
		memcpy(page + 0x20 + 32 * i, vmpck[i], 32);
	memset(last_seqno, 0, sizeof(last_seqno));
	return 0;
}

/* One SNP_GUEST_REQUEST / SNP_EXTENDED_GUEST_REQUEST: the host's part (certificate pages,
 * INVALID_LEN with the page count it wants), then the PSP's (header and sequence number
 * checks, decrypt with the VMPCK, the model's answer, encrypt). A firmware refusal is
 * SW_EXITINFO2 = its status and no response message, which the driver turns into EIO. */
static int snp_msg(struct tm_dev *d, int fd, const struct teeabi_fw_req *r, uint8_t *msg, uint8_t *scratch)
{
	static uint8_t out[MSG_PAGE + TEEABI_FW_MAX_PAYLOAD];
	uint8_t plain[PAYLOAD_MAX], rsp[4000];
	bool ext = r->arg & 1;
	uint32_t npages = (uint32_t)(r->arg >> 32), fws = 0;
	size_t blob_len = 0, rlen = 0;
	const uint8_t *blob = ext ? tm_sev_certs(d, &blob_len) : NULL;

	if (r->len != MSG_PAGE || (uint64_t)npages * MSG_PAGE + MSG_PAGE > r->outcap)
		return answer(fd, r->seq, 0, FW_INVALID_PARAM, NULL, 0, scratch);
	if (ext && blob_len > (size_t)npages * MSG_PAGE)
		return answer(fd, r->seq, (int32_t)((blob_len + MSG_PAGE - 1) / MSG_PAGE), VMM_ERR_INVALID_LEN, NULL, 0, scratch);
	unsigned vm = msg[H_VMPCK], sz = msg[H_SZ] | msg[H_SZ + 1] << 8;
	uint64_t seq = le64(msg + H_SEQNO);
	if (vm > 3 || msg[H_ALGO] != 1 || msg[H_HDR_VER] != 1 || (msg[H_HDR_SZ] | msg[H_HDR_SZ + 1] << 8) != H_LEN ||
	    sz > PAYLOAD_MAX - 16 || seq != last_seqno[vm] + 1 || gcm(0, vmpck[vm], msg, msg + H_LEN, plain, (int)sz))
		return answer(fd, r->seq, 0, FW_INVALID_PARAM, NULL, 0, scratch);
	last_seqno[vm] = seq + 1;   /* the PSP consumed the number, whatever follows */
	if (tm_sev_fw_message(d, msg[H_TYPE], msg[H_VER], plain, sz, rsp, sizeof(rsp), &rlen, &fws))
		return answer(fd, r->seq, 0, FW_INVALID_PARAM, NULL, 0, scratch);
	if (fws)
		return answer(fd, r->seq, 0, fws, NULL, 0, scratch);
	memset(out, 0, MSG_PAGE);
	put64(out + H_SEQNO, seq + 1);
	out[H_ALGO] = 1;
	out[H_HDR_VER] = 1;
	out[H_HDR_SZ] = H_LEN;
	out[H_TYPE] = (uint8_t)(msg[H_TYPE] + 1);
	out[H_VER] = msg[H_VER];
	out[H_SZ] = (uint8_t)rlen;
	out[H_SZ + 1] = (uint8_t)(rlen >> 8);
	out[H_VMPCK] = (uint8_t)vm;
	if (gcm(1, vmpck[vm], out, rsp, out + H_LEN, (int)rlen))
		return answer(fd, r->seq, 0, FW_INVALID_PARAM, NULL, 0, scratch);
	size_t len = MSG_PAGE;
	if (ext) {
		memset(out + MSG_PAGE, 0, (size_t)npages * MSG_PAGE);
		memcpy(out + MSG_PAGE, blob, blob_len);
		len += (size_t)npages * MSG_PAGE;
	}
	return answer(fd, r->seq, 0, 0, out, (uint32_t)len, scratch);
}

/* TDG.MR.REPORT, TDG.MR.RTMR.EXTEND, GetQuote by the model; status is the TDCALL return
 * code (RAX >> 32) or the GHCI GetQuote status. */
static int serve(struct tm_dev *d, int fd, const struct teeabi_fw_req *r, uint8_t *in, uint8_t *scratch)
{
	uint8_t rep[1024];
	switch (r->op) {
	case TEEABI_FW_TDX_REPORT0:
		if (r->len != 64 || r->outcap < sizeof(rep))
			return answer(fd, r->seq, (int32_t)0xc0000100, 0, NULL, 0, scratch);
		if (tm_tdx_tdreport(d, in, rep))
			return answer(fd, r->seq, (int32_t)0xc0000100, 0, NULL, 0, scratch);
		return answer(fd, r->seq, 0, 0, rep, sizeof(rep), scratch);
	case TEEABI_FW_TDX_EXTEND:
		if (r->len != 48 || tm_tdx_rtmr_extend(d, (unsigned)r->arg, in))
			return answer(fd, r->seq, (int32_t)0xc0000100, 0, NULL, 0, scratch);
		return answer(fd, r->seq, 0, 0, NULL, 0, scratch);
	case TEEABI_FW_TDX_QUOTE: {
		uint8_t *q = NULL;
		size_t ql = 0;
		if (r->len != 1024 || tm_tdx_quote(d, in, &q, &ql) || ql > r->outcap) {
			free(q);
			return answer(fd, r->seq, 1, 0, NULL, 0, scratch); /* GET_QUOTE_ERROR */
		}
		int rc = answer(fd, r->seq, 0, 0, q, (uint32_t)ql, scratch);
		free(q);
		return rc;
	}
	case TEEABI_FW_SNP_SECRETS: {
		uint8_t page[MSG_PAGE];
		if (r->outcap < MSG_PAGE || snp_secrets(page))
			return answer(fd, r->seq, -1, 0, NULL, 0, scratch);
		return answer(fd, r->seq, 0, 0, page, MSG_PAGE, scratch);
	}
	case TEEABI_FW_SNP_MSG:
		return snp_msg(d, fd, r, (uint8_t *)in, scratch);
	default:
		fprintf(stderr, "teeabi-fwd: unknown op %u\n", r->op);
		return answer(fd, r->seq, -1, 0, NULL, 0, scratch);
	}
}

int main(int argc, char **argv)
{
	const char *profile = NULL, *dev = "/dev/teeabi_fw", *ready = NULL;
	tm_fault_mask faults = TM_NO_FAULTS;
	static const struct option lo[] = {
		{ "profile", required_argument, 0, 'p' }, { "fault", required_argument, 0, 'f' },
		{ "device", required_argument, 0, 'd' }, { "ready", required_argument, 0, 'r' },
		{ 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'd': dev = optarg; break;
		case 'r': ready = optarg; break;
		case 'f': {
			int f = tm_fault_lookup(optarg);
			if (f < 0) {
				fprintf(stderr, "teeabi-fwd: unknown fault %s\n", optarg);
				return 2;
			}
			tm_fault_add(&faults, f);
			break;
		}
		default:
			fprintf(stderr, "usage: teeabi-fwd --profile NAME [--fault NAME]... [--device PATH] [--ready FILE]\n");
			return 2;
		}
	}
	if (!profile || optind != argc) {
		fprintf(stderr, "usage: teeabi-fwd --profile NAME [--fault NAME]... [--device PATH] [--ready FILE]\n");
		return 2;
	}
	struct teeabi_profile p;
	char err[256];
	if (teeabi_profile_load(teeabi_profile_dir(), profile, &p, err, sizeof(err))) {
		fprintf(stderr, "teeabi-fwd: profile %s: %s\n", profile, err);
		return 1;
	}
	struct tm_dev *d = tm_new(&p, faults);
	if (!d) {
		fprintf(stderr, "teeabi-fwd: cannot create the model\n");
		return 1;
	}
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "teeabi-fwd: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (ready) {
		int rf = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (rf < 0 || close(rf)) {
			fprintf(stderr, "teeabi-fwd: %s: %s\n", ready, strerror(errno));
			return 1;
		}
	}
	size_t cap = sizeof(struct teeabi_fw_req) + TEEABI_FW_MAX_PAYLOAD;
	uint8_t *buf = malloc(cap), *scratch = malloc(sizeof(struct teeabi_fw_ans) + TEEABI_FW_MAX_PAYLOAD);
	if (!buf || !scratch)
		return 1;
	unsigned long served = 0;
	while (!stop) {
		ssize_t n = read(fd, buf, cap);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "teeabi-fwd: read: %s\n", strerror(errno));
			return 1;
		}
		struct teeabi_fw_req r;
		if ((size_t)n < sizeof(r)) {
			fprintf(stderr, "teeabi-fwd: short request (%zd bytes)\n", n);
			return 1;
		}
		memcpy(&r, buf, sizeof(r));
		if (sizeof(r) + r.len != (size_t)n) {
			fprintf(stderr, "teeabi-fwd: request %u: length %u does not match %zd\n", r.seq, r.len, n);
			return 1;
		}
		if (serve(d, fd, &r, buf + sizeof(r), scratch) && errno != ESRCH)
			return 1;
		served++;
	}
	fprintf(stderr, "teeabi-fwd: %lu requests served\n", served);
	tm_free(d);
	return 0;
}
