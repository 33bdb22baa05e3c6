/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/snp_pin.h - the values of an SNP ATTESTATION_REPORT that are pinned, not
 * only related (issue 17, blind audit round 4): what the ABI fixes, what the profile fixes,
 * what one report relates, and what stays the guest's for its lifetime across calls and
 * interfaces. The field table is audit/fixes/round4-fix5b.md.
 */
#ifndef TEEABI_SUITES_SNP_PIN_H
#define TEEABI_SUITES_SNP_PIN_H

#include <stddef.h>
#include <stdint.h>

struct teeabi_snp_report;

/* Check the report's fixed values: reserved ranges of its VERSION's layout zero, the
 * VERSION's layout filled (CPUID on v3+), SIGNING_KEY not reserved, POLICY bit 17 set and
 * POLICY.DEBUG as the profile says (tst_profile->snp_debug; no profile: production), the
 * policy's ABI version not above the firmware's, COMMITTED firmware version and TCB not
 * above CURRENT, a Turin CHIP_ID in its first 8 bytes. r is the 1184 bytes sr was parsed
 * from. One FAIL per broken value; returns their number (no PASS: the caller's). */
int u_snp_pin_values(const char *what, const uint8_t *r, const struct teeabi_snp_report *sr);

/* Compare the fields that are the guest's for its lifetime (GUEST_SVN, POLICY, FAMILY_ID,
 * IMAGE_ID, MEASUREMENT, HOST_DATA, ID/AUTHOR_KEY_DIGEST, AUTHOR_KEY_EN, MASK_CHIP_KEY,
 * REPORT_ID, REPORT_ID_MA, CPUID, CHIP_ID, LAUNCH_TCB) of two reports of the same guest.
 * One FAIL per differing field; returns their number. */
int u_snp_same_guest(const char *what, const struct teeabi_snp_report *ref, const struct teeabi_snp_report *sr);

/* SNP_GET_REPORT on node (opened O_RDWR) at the profile's VMPL with zero REPORT_DATA, the
 * response in *resp: 0, or -errno of the open or the ioctl. */
struct teeabi_snp_report_resp;
int u_snp_report_at(const char *node, struct teeabi_snp_report_resp *resp);

/* A report of this guest from /dev/sev-guest (SNP_GET_REPORT at the profile's VMPL, zero
 * REPORT_DATA) into out[1184]: 0, or -errno when the node is absent or the call fails. */
int u_snp_dev_report(uint8_t out[1184]);

/* When /dev/sev-guest answers: u_snp_same_guest() of the report r (len bytes) against a
 * fresh SNP_GET_REPORT; else a diagnostic that says why nothing was compared. Returns the
 * number of FAILs. */
int u_snp_same_guest_as_dev(const char *what, const uint8_t *r, size_t len);

#endif
