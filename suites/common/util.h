/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/util.h - helpers shared by the conformance suites: TDREPORT by ioctl,
 * configfs-tsm entries, measurement files, and the judges that check a quote/report
 * with the libteeabi parsers and report PASS/FAIL through tst.h.
 * All helpers use plain open/ioctl/read/write/mkdir/rmdir on the real paths.
 */
#ifndef TEEABI_SUITES_UTIL_H
#define TEEABI_SUITES_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* GET_REPORT0 on /dev/tdx_guest. Returns 0 or -errno. */
int u_tdx_report(const uint8_t rd[64], uint8_t out[1024]);
/* The same on another node (a private copy of /dev/tdx_guest). */
int u_tdx_report_at(const char *node, const uint8_t rd[64], uint8_t out[1024]);
/* Fill buf with bytes unique to this call (pid, counter, time), never all-zero. */
void u_fill_pattern(uint8_t *buf, size_t len);
/* The canary rule (issue 17 rule 3): left[i] is true when output byte i held the canary of
 * every call (pre-filled with different canaries), i.e. the call never wrote it. One FAIL per
 * run of such bytes, "<what> left bytes [a, b) unwritten ..."; returns how many there are. */
size_t u_report_unwritten(const char *what, const bool *left, size_t n);

/* ---------------------------------------------------------------- configfs-tsm */
/* mkdir a fresh entry under the report root; path receives its full path. The entry is
 * registered for removal by the parent. Returns 0 or -errno. */
int u_tsm_mkentry(char *path, size_t len);
/* rmdir, returns 0 or -errno. */
int u_tsm_rmentry(const char *path);
/* Write a blob or text attribute with one open/write/close. *werr gets the write()
 * errno (0 if it succeeded), return value is 0 or the first -errno (open/write/close). */
int u_tsm_write(const char *entry, const char *attr, const void *buf, size_t len, int *werr);
/* Read a whole attribute (one open, read loop). Returns length or -errno. */
ssize_t u_tsm_read(const char *entry, const char *attr, void *buf, size_t cap);
/* generation as a number; returns 0 or -errno (-EBADMSG when the text is not exactly
 * "%lu\n": a sign, a blank, a leading zero or a missing newline is malformed). */
int u_tsm_generation(const char *entry, unsigned long *gen);

/* ---------------------------------------------------------------- measurements */
/* Read <measurements>/<name> (48 bytes expected). Returns length or -errno. */
ssize_t u_mr_read(const char *name, uint8_t *buf, size_t cap);

/* ---------------------------------------------------------------- judges */
/* Check a TDX quote: structural parse, the fixed fields of Intel's TD QE byte for byte
 * (QE_VENDOR_ID; the QE report's MRSIGNER, ISVPRODID, MISCSELECT, masked ATTRIBUTES, zero
 * reserved/KSS fields), ECDSA signature, QE binding, report data equals rd, optionally RTMRs
 * equal to rtmr (NULL = skip). Reports FAIL per deviation and returns
 * the number of FAILs (0 = all good). what names the source in messages ("outblob"). */
int u_judge_tdx_quote(const char *what, const uint8_t *q, size_t len, const uint8_t rd[64],
		      const uint8_t (*rtmr)[48]);
/* The quote's relation to the TDREPORTs of the same TD (rule 1 of issue 17): every field the
 * quote body copies from a TDREPORT (formats.md §1.5: TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, SEAM
 * and TD attributes, XFAM, MRTD..MROWNERCONFIG, RTMR0..3, REPORTDATA; on a TD15 body also
 * TEE_TCB_SVN2 and MR_SERVICETD) and the QE report's CPUSVN (formats.md §1.2: it equals the
 * TDREPORT's CPUSVN) must be the TDREPORT's bytes. before/after are TDREPORTs taken with the
 * quote's REPORTDATA just before and just after the quote: a field that differs between them
 * changed while the quote was made (an RTMR extended by another process) and is not judged.
 * Reports FAIL per field and PASS when all judged fields agree; returns the number of FAILs. */
struct teeabi_tdx_quote;
int u_judge_quote_vs_tdreport(const char *what, const struct teeabi_tdx_quote *q, const uint8_t before[1024],
			      const uint8_t after[1024]);
/* Value pins of the TD fields a TDREPORT and a TD quote body share (blind audit round 4: a
 * value can be self-consistent, signed and hashed, and still wrong against the ABI's fixed
 * meaning). Checked exactly, whatever path the fields came from:
 *  - TEE_TCB_SVN bytes 3..15 (and TEE_TCB_SVN2's, when td15) zero: reserved after the
 *    module's minor/major/SEAM-patch SVNs (formats.md §1.3);
 *  - MRSIGNERSEAM 48 zero bytes and SEAM_ATTRIBUTES 0: an Intel-signed, production TDX
 *    module (formats.md §1.3, §2.4 "must be zero"; Intel's TCB Info v3 tdxModule has
 *    mrsigner 0^48 and attributes 0 under mask FFFFFFFFFFFFFFFF, so any other value fails
 *    Intel's verification);
 *  - TD ATTRIBUTES: no TUD bit (7:0, DEBUG is bit 0) on a production profile (formats.md
 *    §1.4: any TUD bit set means the TD is untrusted), and the profile's exact value when
 *    it names one (tdx_td_attributes);
 *  - XFAM: the TDX module's fixed-1 bits x87 and SSE (TDX_XFAM_FIXED1 = 0x3) and the
 *    combinations its XFAM check refuses otherwise (AVX-512 opmask, ZMM_Hi256 and Hi16_ZMM
 *    together and only with AVX; CET_U with CET_S; AMX TILECFG with TILEDATA), and the
 *    profile's exact value when it names one (tdx_xfam).
 * One FAIL per wrong field; returns the number of FAILs. */
struct teeabi_td_fields;
int u_judge_td_values(const char *what, const struct teeabi_td_fields *td, bool td15);
/* The TDREPORT's own fixed fields, then u_judge_td_values: REPORTTYPE 0x81 / SUBTYPE 0 /
 * VERSION 0 or 1 with VERSION 1 exactly when a service TD is bound (SERVTD_HASH non-zero:
 * the TDX module's TDG.MR.REPORT sets VERSION 1 iff TDCS.SERVTD_NUM > 0, and SERVTD_HASH is
 * 0 without a bound service TD), every reserved byte outside TEE_TCB_INFO zero (the module
 * zeroes the report before filling it), VALID with the VALID/TEE_TCB_SVN/MRSEAM chunks (bits
 * 0..8) and no bit past TEE_TCB_INFO's 30 chunks, and every chunk whose VALID bit is clear
 * zero (that covers TEE_TCB_INFO's reserved bytes, TEE_TCB_SVN2 included when absent).
 * Returns the number of FAILs. */
int u_judge_tdreport_values(const char *what, const uint8_t rep[1024]);
/* Check an SNP report: parse (exactly 1184 bytes: trailing bytes are a FAIL), report
 * data, vmpl (if vmpl >= 0) and, when a certificate table is given, that it parses, names
 * a VCEK or VLEK, and that the signature verifies with it. Returns the number of FAILs. */
int u_judge_snp_report(const char *what, const uint8_t *r, size_t len, const uint8_t rd[64],
		       long vmpl, const uint8_t *certs, size_t certs_len);

/* The genuineness line of a run (teeabi/genuine.h): the chain as diagnostics, then
 * "# genuineness: <verdict> (<reason>)", and the test's result: PASS genuine, FAIL not
 * genuine, SKIP test PKI (the mocks' roots) or not checkable, with the reason. */
struct teeabi_genuineness;
void u_report_genuineness(const struct teeabi_genuineness *g);

/* Expected RTMR after an extend, computed independently with OpenSSL:
 * out = SHA-384(old || data). */
/* The file at path is of type type (S_IFREG, S_IFDIR) with exactly the permission bits
 * mode (07777) and owner root, as the kernel creates it (issue 17, round 5, 200): one FAIL
 * naming what differs, returns 1; 0 when it matches. A missing file is a FAIL too. */
int u_check_mode(const char *path, unsigned type, unsigned mode);
void u_sha384_extend(uint8_t out[48], const uint8_t old[48], const uint8_t data[48]);
/* The dstack V1 runtime-event digest, computed independently of lib/dstack.c with OpenSSL:
 * SHA-384(LE32(0x08000001) || ":" || name || ":" || payload). */
void u_v1_digest(uint8_t out[48], const char *name, const uint8_t *payload, size_t plen);

#endif
