/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi-parse - detect and strictly parse attestation evidence files, one JSON object per
 * line per file. See --help.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "teeabi/bytes.h"
#include "teeabi/detect.h"
#include "teeabi/err.h"
#include "teeabi/file.h"
#include "teeabi/genuine.h"
#include "teeabi/version.h"

#define MAX_INPUT (16u * 1024 * 1024)

static const char usage[] =
	"usage: teeabi-parse [--strict] [--quote QUOTE] FILE...\n"
	"       teeabi-parse --verify [--certs TABLE] [--vcek PEM] [--at TIME] [--crl CRL]... FILE...\n"
	"       teeabi-parse --help\n"
	"\n"
	"Detects the format of each FILE (\"-\" reads standard input), parses it strictly and\n"
	"prints one JSON object per line per file on standard output. Inputs are capped at\n"
	"16 MiB. Formats, detected from the bytes alone:\n"
	"  tdx_quote           Intel DCAP quote v4/v5 (version 4/5, attestation key type 2)\n"
	"  tdreport            TDX TDREPORT_STRUCT (1024 bytes, type 0x81)\n"
	"  snp_report          AMD SEV-SNP ATTESTATION_REPORT v2..v5 (1184 bytes)\n"
	"  snp_msg_report_rsp  SNP_GET_REPORT response (report_size 0x4A0 at offset 4)\n"
	"  snp_msg_key_rsp     SNP_GET_DERIVED_KEY response (64 bytes)\n"
	"  snp_cert_table      extended-report certificate table (starts with a known GUID)\n"
	"  dstack_quote_json   dstack GetQuote JSON response (first non-space byte '{')\n"
	"  dstack_attestation  dstack SCALE VersionedAttestation (raw, or JSON {\"attestation\": hex})\n"
	"  dstack_event_log    bare dstack event-log JSON array (first non-space byte '[')\n"
	"  dstack_runtime_log  the agent's runtime event log file: JSON lines, TdxEventLog\n"
	"                      (v0.5.0-0.5.5 tdx_events.log) or {event, payload: base64} (v0.5.6+\n"
	"                      runtime_events.log)\n"
	"  sgx_report          SGX report body (384 bytes)\n"
	"\n"
	"Output fields (byte strings are lowercase hex; 64-bit flag words are \"0x...\" strings):\n"
	"  all:        file, format, version\n"
	"  tdx_quote:  body_type, tee_type, qe_vendor_id, mrtd, rtmr0..rtmr3, report_data,\n"
	"              mrseam, mrsignerseam, mrconfigid, mrowner, mrownerconfig, td_attributes,\n"
	"              xfam, tee_tcb_svn (+ tee_tcb_svn2, mr_servicetd for TD15 bodies; SGX\n"
	"              bodies: mr_enclave, mr_signer, isv_prod_id, isv_svn, attributes,\n"
	"              report_data), sig_data_len, inner_cert_type, qe_report_binding,\n"
	"              signature, qe_report_signature (true/false: the crypto checks),\n"
	"              quote_len, trailing_bytes, trailing_all_zero, warnings\n"
	"  tdreport:   subtype, cpusvn, the MR fields above, valid, tdx15,\n"
	"              tee_tcb_info_hash_ok, tee_info_hash_ok, warnings\n"
	"  snp_report: guest_svn, policy, policy_bits{...}, vmpl, report_data, measurement,\n"
	"              host_data, family_id, image_id, id_key_digest, author_key_digest,\n"
	"              report_id, report_id_ma, chip_id, current_tcb / reported_tcb /\n"
	"              committed_tcb / launch_tcb {raw, layout legacy|turin, [fmc], bootloader,\n"
	"              tee, snp, microcode}, platform_info, signer_info, signing_key\n"
	"              (vcek|vlek|none|reserved), author_key_en, mask_chip_key, cpuid, generation,\n"
	"              current_fw, committed_fw, launch/current_mit_vector (v5), warnings\n"
	"              (names of non-fatal findings, e.g. platinfo_unknown), trailing_bytes\n"
	"  snp_msg_report_rsp: status, report_size, report{snp_report fields}, padding_bytes,\n"
	"              padding_all_zero (version is the nested report's)\n"
	"  snp_msg_key_rsp: status, derived_key\n"
	"  snp_cert_table: count, table_len, end, entries[{guid, name, offset, length}]\n"
	"  dstack_quote_json: version (event-log digest rule, 1 = V1), [hash_algorithm, prefix\n"
	"              (Tappd.TdxQuote)], events, imr_events[4], event_log_format (full|stripped),\n"
	"              quote_given, events_recomputed, events_digest_mismatch, replayed_rtmr[4],\n"
	"              rtmr_match[4], report_data, report_data_match, quote{tdx_quote fields}\n"
	"  dstack_event_log: the dstack_quote_json fields; quote and rtmr_match from --quote\n"
	"  dstack_runtime_log: version (1 TdxEventLog lines, 2 RuntimeEvent lines), log_format,\n"
	"              events, events_digest_mismatch, replayed_rtmr3 [, rtmr3_match with --quote]\n"
	"  dstack_attestation: container (scale|json, getquote_form), version, variant,\n"
	"              variant_name, platform, payload_len, payload_sha256, quote{...} or\n"
	"              report{...}, event-log and runtime-event counts/names, cert_chain_*,\n"
	"              mr_config, report_data, report_data_match, config_len, attestation_len,\n"
	"              trailing_bytes\n"
	"\n"
	"Options:\n"
	"  --strict    SNP reports: non-zero must-be-zero ranges are errors (E_SNP_MBZ) and no\n"
	"              bytes may follow the report; TDX quotes: non-Intel QE vendor and\n"
	"              non-zero trailing bytes are errors. Default: reported, not fatal.\n"
	"  --quote Q   the TDX quote (binary, or hex text as the simulator's quote.hex) that the\n"
	"              bare event logs and runtime event logs among the FILEs belong to: their\n"
	"              replay is compared with its RTMRs (rtmr_match, rtmr3_match)\n"
	"  --verify    instead of the fields: verify the certificate chain behind each TDX quote\n"
	"              (its PCK chain) or SNP report (certificates from --certs / --vcek) offline\n"
	"              up to the embedded vendor roots (Intel SGX Root CA, AMD ARK Milan/Genoa/\n"
	"              Turin) and print the chain (each certificate's subject, key type and\n"
	"              sha256), where it ends (genuine root, test root: the mocks' teeabi TEST\n"
	"              PKI, unknown) and \"FILE: genuineness: genuine|not genuine|not checkable|\n"
	"              test PKI (reason)\". Exit 0 when every chain verified (genuine or test\n"
	"              PKI), 1 otherwise.\n"
	"  --certs F   (--verify) an SNP certificate table: SNP_GET_EXT_REPORT certs, auxblob\n"
	"  --vcek F    (--verify) the VCEK/VLEK, DER or PEM; PEM may go on with the ASK and ARK\n"
	"  --at TIME   (--verify) the time every certificate must be valid at: YYYY-MM-DD,\n"
	"              YYYY-MM-DDTHH:MM:SSZ (UTC) or @SECONDS; default now. An expired or not\n"
	"              yet valid certificate makes the evidence \"not genuine\"\n"
	"  --crl F     (--verify, up to 8 times) a CRL, DER or PEM: Intel's root CA or PCK CRL\n"
	"              (the collateral's), AMD's KDS CRL of an ARK. A certificate it revokes\n"
	"              makes the evidence \"not genuine\"; a CRL out of date or not signed by\n"
	"              its issuer \"not checkable\"; certificates whose issuer has no CRL here\n"
	"              are not checked for revocation (the output says how many were)\n"
	"  --help      this text\n"
	"  --          end of options\n"
	"\n"
	"On a malformed input nothing is printed on stdout for that file and one line\n"
	"  FILE: E_<NAME>: <detail>\n"
	"goes to standard error (E_<NAME> is the library's error name, e.g.\n"
	"E_QUOTE_SIGLEN_BOUNDS or E_SNP_REPORT_SIZE); the remaining files are still processed.\n"
	"\n"
	"Only regular files are read (a FIFO, device or directory is refused without waiting on\n"
	"it); \"-\" reads whatever standard input is.\n"
	"\n"
	"Exit status: 0 all files parsed; 1 at least one file was malformed; 2 usage error, an\n"
	"unreadable / not regular / over-16-MiB file, or standard output could not be written\n"
	"(\"teeabi-parse: stdout: <error>\").\n";

/* Read all of f into a malloc'd buffer; -1 on I/O error, -2 when over the cap. */
static int slurp(FILE *f, uint8_t **out, size_t *out_len)
{
	size_t cap = 65536, n = 0;
	uint8_t *b = malloc(cap);
	if (!b)
		return -1;
	for (;;) {
		if (n == cap) {
			if (cap > MAX_INPUT) {
				free(b);
				return -2;
			}
			size_t nc = cap * 2;
			uint8_t *nb = realloc(b, nc);
			if (!nb) {
				free(b);
				return -1;
			}
			b = nb;
			cap = nc;
		}
		size_t r = fread(b + n, 1, cap - n, f);
		n += r;
		if (n > MAX_INPUT) {
			free(b);
			return -2;
		}
		if (r == 0) {
			if (ferror(f)) {
				free(b);
				return -1;
			}
			break;
		}
	}
	*out = b;
	*out_len = n;
	return 0;
}

/* The output is the point of the program: a failed write (a full disk, a closed pipe's
 * EPIPE with SIGPIPE ignored) is an error, never exit 0. */
static int stdout_failed(void)
{
	int e = errno ? errno : EIO;
	fprintf(stderr, "teeabi-parse: stdout: %s\n", strerror(e));
	return 2;
}

#define MAX_CRLS 8

/* --verify: the genuineness of each file (teeabi/genuine.h), at time at (0: now), with the
 * CRL files crl_paths[0..ncrls) */
static int verify_files(char **files, int n, const char *certs_path, const char *vcek_path, time_t at,
			const char *const *crl_paths, int ncrls)
{
	uint8_t *certs = NULL, *vcek = NULL, *buf, *crl[MAX_CRLS] = { NULL };
	size_t certs_len = 0, vcek_len = 0, len, crl_len[MAX_CRLS] = { 0 };
	struct teeabi_slice crls[MAX_CRLS];
	int rc = 0;
	struct { const char *path; uint8_t **b; size_t *l; } opt[2 + MAX_CRLS] = {
		{ certs_path, &certs, &certs_len }, { vcek_path, &vcek, &vcek_len } };

	for (int i = 0; i < ncrls; i++) {
		opt[2 + i].path = crl_paths[i];
		opt[2 + i].b = &crl[i];
		opt[2 + i].l = &crl_len[i];
	}
	for (int i = 0; i < 2 + ncrls; i++) {
		int oerr = 0;
		FILE *f = opt[i].path ? teeabi_fopen_regular(opt[i].path, &oerr) : NULL;
		if (opt[i].path && (!f || slurp(f, opt[i].b, opt[i].l))) {
			fprintf(stderr, "%s: E_IO: cannot read%s%s\n", opt[i].path, oerr ? ": " : "", oerr ? teeabi_open_strerror(oerr) : "");
			rc = 2;
		}
		if (f)
			fclose(f);
	}
	for (int i = 0; i < n && rc != 2; i++) {
		int oerr = 0;
		FILE *f = teeabi_fopen_regular(files[i], &oerr);
		struct teeabi_genuineness g;
		if (!f || slurp(f, &buf, &len)) {
			fprintf(stderr, "%s: E_IO: cannot read%s%s\n", files[i], oerr ? ": " : "", oerr ? teeabi_open_strerror(oerr) : "");
			if (f)
				fclose(f);
			rc = 2;
			break;
		}
		fclose(f);
		for (int k = 0; k < ncrls; k++)
			crls[k] = (struct teeabi_slice){ crl[k], crl_len[k] };
		struct teeabi_genuine_opts o = { .at = at, .crls = crls, .ncrls = (size_t)ncrls };
		teeabi_evidence_genuine_opts(buf, len, certs, certs_len, vcek, vcek_len, &o, &g);
		teeabi_genuine_print(stdout, files[i], &g);
		free(buf);
		if (g.verdict != TEEABI_GENUINE && g.verdict != TEEABI_TEST_PKI)
			rc = 1;
	}
	free(certs);
	free(vcek);
	for (int i = 0; i < ncrls; i++)
		free(crl[i]);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		return stdout_failed();
	return rc;
}

/* A quote file: binary, or hex text (whitespace allowed). *out is malloc'd. 0 or -1. */
static int load_quote(const char *path, uint8_t **out, size_t *out_len)
{
	int oerr = 0;
	FILE *f = teeabi_fopen_regular(path, &oerr);
	if (!f) {
		fprintf(stderr, "teeabi-parse: --quote %s: %s\n", path, teeabi_open_strerror(oerr));
		return -1;
	}
	uint8_t *b;
	size_t n;
	int r = slurp(f, &b, &n);
	fclose(f);
	if (r) {
		fprintf(stderr, "teeabi-parse: --quote %s: %s\n", path, r == -2 ? "larger than 16 MiB" : "read error");
		return -1;
	}
	size_t digits = 0;
	bool hex = n > 0;
	for (size_t i = 0; i < n && hex; i++) {
		if (isxdigit(b[i]))
			b[digits++] = b[i];
		else if (!isspace(b[i]))
			hex = false;
	}
	if (hex) {
		long l = teeabi_unhex(b, digits / 2, (const char *)b, digits);
		if (l < 0 || digits == 0) {
			fprintf(stderr, "teeabi-parse: --quote %s: odd-length hex text\n", path);
			free(b);
			return -1;
		}
		n = (size_t)l;
	}
	*out = b;
	*out_len = n;
	return 0;
}

int main(int argc, char **argv)
{
	teeabi_version_option(argc, argv);
	unsigned flags = 0;
	bool verify = false;
	const char *certs = NULL, *vcek = NULL, *crl_paths[MAX_CRLS];
	int first = 1, ncrls = 0;
	time_t at = 0;
	uint8_t *quote = NULL;
	size_t quote_len = 0;
	for (; first < argc; first++) {
		const char *a = argv[first];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			errno = 0;
			fputs(usage, stdout);
			return fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0 ? stdout_failed() : 0;
		} else if (strcmp(a, "--strict") == 0) {
			flags |= TEEABI_DESCRIBE_STRICT;
		} else if (strcmp(a, "--verify") == 0) {
			verify = true;
		} else if (strcmp(a, "--certs") == 0 || strcmp(a, "--vcek") == 0) {
			if (first + 1 >= argc || !argv[first + 1][0]) {
				fprintf(stderr, "teeabi-parse: %s needs a value (a file)\n", a);
				free(quote);
				return 2;
			}
			*(a[2] == 'c' ? &certs : &vcek) = argv[++first];
		} else if (strcmp(a, "--crl") == 0 || strcmp(a, "--at") == 0) {
			const char *v = first + 1 < argc ? argv[first + 1] : NULL;
			if (!v || !v[0] || (a[2] == 'c' && ncrls == MAX_CRLS) || (a[2] == 'a' && (at || teeabi_genuine_parse_time(v, &at)))) {
				fprintf(stderr, "teeabi-parse: %s\n", a[2] == 'a' ? "--at needs one time: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @SECONDS"
									   : "--crl needs a file, at most 8 times");
				free(quote);
				return 2;
			}
			if (a[2] == 'c')
				crl_paths[ncrls++] = v;
			first++;
		} else if (strcmp(a, "--quote") == 0) {
			if (first + 1 >= argc || quote) {
				fprintf(stderr, "teeabi-parse: --quote needs one file, given once (see teeabi-parse --help)\n");
				return 2;
			}
			if (load_quote(argv[++first], &quote, &quote_len))
				return 2;
		} else if (strcmp(a, "--") == 0) {
			first++;
			break;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "teeabi-parse: unknown option %s (see teeabi-parse --help)\n", a);
			return 2;
		} else {
			break;
		}
	}
	if (first >= argc || ((certs || vcek || ncrls || at) && !verify) || (verify && quote)) {
		free(quote);
		fprintf(stderr, "teeabi-parse: %s (see teeabi-parse --help)\n",
			first >= argc ? "no FILE given" : verify ? "--verify does not go with --quote" : "--certs, --vcek, --at and --crl go with --verify");
		return 2;
	}
	if (verify)
		return verify_files(argv + first, argc - first, certs, vcek, at, crl_paths, ncrls);
	int rc = 0;
	for (int i = first; i < argc; i++) {
		const char *name = argv[i];
		bool is_stdin = strcmp(name, "-") == 0;
		int oerr = 0;
		FILE *f = is_stdin ? stdin : teeabi_fopen_regular(name, &oerr);
		if (!f) {
			fprintf(stderr, "%s: E_IO: cannot open: %s\n", name, teeabi_open_strerror(oerr));
			rc = 2;
			continue;
		}
		uint8_t *buf = NULL;
		size_t len = 0;
		int r = slurp(f, &buf, &len);
		if (!is_stdin)
			fclose(f);
		if (r == -2) {
			fprintf(stderr, "%s: E_IO: larger than 16 MiB\n", name);
			rc = 2;
			continue;
		}
		if (r < 0) {
			fprintf(stderr, "%s: E_IO: read error\n", name);
			rc = 2;
			continue;
		}
		const char *detail = "";
		teeabi_err e = teeabi_describe_json_q(buf, len, flags, name, quote, quote_len, stdout, &detail);
		free(buf);
		errno = 0;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			free(quote);
			return stdout_failed();
		}
		if (e != TEEABI_OK) {
			fprintf(stderr, "%s: %s: %s\n", name, teeabi_err_name(e), detail && *detail ? detail : teeabi_err_msg(e));
			if (rc == 0)
				rc = 1;
		}
	}
	free(quote);
	errno = 0;
	if (ferror(stdout) || fclose(stdout) != 0)
		return stdout_failed();
	return rc;
}
