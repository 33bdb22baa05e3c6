/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/genuine.h - is this evidence from genuine hardware? The certificate chain behind a
 * TDX quote (the PCK chain of certification data type 5) or an SEV-SNP report (VCEK/VLEK,
 * ASK/ASVK from the extended report's certificate table, the auxblob or the user, up to
 * AMD's ARK) is verified offline up to the public vendor roots embedded in the library
 * (Intel SGX Root CA; AMD ARK-Milan, ARK-Genoa, ARK-Turin; fingerprints in genuine.c), and
 * the evidence must be signed by the chain's leaf (TDX: QE report by the PCK key, AK bound
 * by the QE report, quote by the AK; SNP: report by the VCEK/VLEK whose TCB and hwID
 * extensions equal the report's). A chain that ends in the teeabi TEST PKI of the mocks
 * (mocks/pki/) is "test PKI", never genuine. Every certificate of the chain must be valid at
 * the time of the check (now, or a time the caller gives: old evidence is checked at its own
 * time), and, when the caller gives CRLs (Intel's root CA and PCK CRLs of the collateral, AMD's
 * KDS CRL of the ARK), none may be revoked: an expired, not yet valid or revoked certificate
 * makes the evidence "not genuine", a CRL that cannot be used (stale, not yet valid, bad
 * signature) "not checkable". A certificate whose issuer has no CRL among those given is not
 * checked for revocation; the reason says which were.
 */
#ifndef TEEABI_GENUINE_H
#define TEEABI_GENUINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "teeabi/bytes.h"

enum teeabi_genuine {
	TEEABI_GENUINE,          /* chain to a genuine vendor root, evidence signed by it */
	TEEABI_NOT_GENUINE,      /* a chain is there and does not lead to a vendor root, or the
				  * evidence is not signed by it */
	TEEABI_NOT_CHECKABLE,    /* the evidence carries no chain to check (reason says why) */
	TEEABI_TEST_PKI,         /* the chain ends in the teeabi test PKI (a mock) */
};

enum teeabi_root_kind { TEEABI_ROOT_UNKNOWN, TEEABI_ROOT_GENUINE_VENDOR, TEEABI_ROOT_TEST };

#define TEEABI_CHAIN_MAX 4
struct teeabi_chain_cert {
	char subject[256];       /* one line, RFC 2253 */
	char key[32];            /* "EC P-256", "EC P-384", "RSA-4096", ... */
	char sha256[65];         /* fingerprint of the DER, lowercase hex */
	char not_before[24], not_after[24]; /* validity, "YYYY-MM-DD HH:MM:SS" UTC */
};
struct teeabi_genuineness {
	enum teeabi_genuine verdict;
	char reason[256];
	enum teeabi_root_kind root;
	char root_name[64];      /* "Intel SGX Root CA", "AMD ARK-Genoa", "teeabi test ARK-Genoa", ... */
	int ncerts;              /* leaf first, root last */
	struct teeabi_chain_cert certs[TEEABI_CHAIN_MAX];
	char checked_at[24];     /* the time the chain was checked at, "YYYY-MM-DD HH:MM:SS" UTC */
	int revocation_checked;  /* certificates checked against a given CRL of their issuer */
};

/* How to check: certificates must be valid at `at` (0: now); each of the ncrls slices is a CRL
 * file (DER, or PEM with one or more CRLs), used for the certificates whose issuer signed it. */
struct teeabi_genuine_opts {
	time_t at;
	const struct teeabi_slice *crls;
	size_t ncrls;
};

/* SHA-256 fingerprints of the teeabi TEST roots (mocks/pki/ tdx-root, snp-milan-ark,
 * snp-genoa-ark, snp-turin-ark), lowercase hex */
extern const char *const teeabi_test_root_sha256[4];
/* "genuine", "not genuine", "not checkable", "test PKI" */
const char *teeabi_genuine_name(enum teeabi_genuine v);
/* A TDX quote (v4/v5) with its PCK chain inside. Never fails: the verdict says it all.
 * Checked now, without CRLs; the _opts variants take the time and CRLs (o may be NULL). */
void teeabi_tdx_quote_genuine(const uint8_t *quote, size_t len, struct teeabi_genuineness *g);
void teeabi_tdx_quote_genuine_opts(const uint8_t *quote, size_t len, const struct teeabi_genuine_opts *o,
				   struct teeabi_genuineness *g);
/* An SNP report (1184 bytes) with its certificates: a certificate table (extended report,
 * auxblob; may be NULL) and/or certificates the user supplies (one DER certificate, or PEM:
 * the VCEK/VLEK, then optionally the ASK/ASVK and the ARK, as KDS serves vcek + cert_chain;
 * may be NULL), used for what the table lacks. The ARK is always the embedded one of the
 * report's product, unless the given ARK is a known test root. */
void teeabi_snp_report_genuine(const uint8_t *report, size_t len, const uint8_t *certs, size_t certs_len,
			       const uint8_t *vcek, size_t vcek_len, struct teeabi_genuineness *g);
void teeabi_snp_report_genuine_opts(const uint8_t *report, size_t len, const uint8_t *certs, size_t certs_len,
				    const uint8_t *vcek, size_t vcek_len, const struct teeabi_genuine_opts *o,
				    struct teeabi_genuineness *g);

/* Any evidence: a TDX quote, an SNP report or MSG_REPORT_RSP (with certs/user as above);
 * other formats are "not checkable". */
void teeabi_evidence_genuine(const uint8_t *buf, size_t len, const uint8_t *certs, size_t certs_len,
			     const uint8_t *user, size_t user_len, struct teeabi_genuineness *g);
void teeabi_evidence_genuine_opts(const uint8_t *buf, size_t len, const uint8_t *certs, size_t certs_len,
				  const uint8_t *user, size_t user_len, const struct teeabi_genuine_opts *o,
				  struct teeabi_genuineness *g);
/* "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" (UTC) or "@SECONDS" into *t; 0, or -1 when malformed */
int teeabi_genuine_parse_time(const char *s, time_t *t);
/* The chain (subject, key type, fingerprint per certificate), where it ends and the verdict
 * line "NAME: genuineness: <verdict> (<reason>)". */
void teeabi_genuine_print(FILE *out, const char *name, const struct teeabi_genuineness *g);

#endif
