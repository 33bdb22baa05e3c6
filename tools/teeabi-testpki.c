/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi-testpki - what a user needs to check the mock's evidence with a verifier of their
 * own: the TEST roots (trust anchors) and, for TDX, the DCAP collateral that goes with a
 * profile's quotes (mocks/pki/README.md). NOT FOR PRODUCTION.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "model.h"
#include "pki_material.h"
#include "teeabi/profile.h"

static const char usage[] =
	"usage: teeabi-testpki roots DIR\n"
	"       teeabi-testpki collateral PROFILE DIR\n"
	"\n"
	"roots       writes the TEST trust anchors and CAs: tdx-root.pem (Intel SGX Root CA\n"
	"            shaped), snp-<milan|genoa|turin>-ark.pem, -ask.pem, -asvk.pem (AMD ARK, ASK,\n"
	"            ASVK shaped), and snp-<product>-ark.crl: the ARK's CRL as AMD KDS serves it\n"
	"            (/vcek/v1/<product>/crl: DER, RSASSA-PSS), empty, valid from an hour ago\n"
	"            for 30 days\n"
	"collateral  writes the DCAP collateral for the quotes of the mock PROFILE (TDX),\n"
	"            valid from an hour ago for 30 days: tcb_info.json and qe_identity.json\n"
	"            (Intel PCS form: {\"tcbInfo\"|\"enclaveIdentity\": {...}, \"signature\": hex}),\n"
	"            tcb_info_issuer_chain.pem, pck_crl_issuer_chain.pem, root_ca.crl and\n"
	"            pck.crl (DER), and collateral.json (all of it in the QuoteCollateralV3 form\n"
	"            of dcap-qvl and PCCS: strings, CRLs as hex)\n"
	"Exit status: 0 written, 1 an error (stderr says which), 2 usage.\n";

static int put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "teeabi-testpki: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

static int puts_file(const char *dir, const char *name, const char *s)
{
	return put(dir, name, s, strlen(s));
}

static int roots(const char *dir)
{
	static const struct { const char *name, *pem; } r[] = {
		{ "tdx-root.pem", tm_pem_tdx_root },
		{ "snp-milan-ark.pem", tm_pem_snp_milan_ark }, { "snp-milan-ask.pem", tm_pem_snp_milan_ask },
		{ "snp-milan-asvk.pem", tm_pem_snp_milan_asvk },
		{ "snp-genoa-ark.pem", tm_pem_snp_genoa_ark }, { "snp-genoa-ask.pem", tm_pem_snp_genoa_ask },
		{ "snp-genoa-asvk.pem", tm_pem_snp_genoa_asvk },
		{ "snp-turin-ark.pem", tm_pem_snp_turin_ark }, { "snp-turin-ask.pem", tm_pem_snp_turin_ask },
		{ "snp-turin-asvk.pem", tm_pem_snp_turin_asvk },
	};

	static const struct { const char *name, *ark, *key; } crl[] = {
		{ "snp-milan-ark.crl", tm_pem_snp_milan_ark, tm_pem_snp_milan_ark_key },
		{ "snp-genoa-ark.crl", tm_pem_snp_genoa_ark, tm_pem_snp_genoa_ark_key },
		{ "snp-turin-ark.crl", tm_pem_snp_turin_ark, tm_pem_snp_turin_ark_key },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (puts_file(dir, r[i].name, r[i].pem))
			return 1;
	for (size_t i = 0; i < sizeof(crl) / sizeof(crl[0]); i++) {
		X509 *ark = tm_pem_cert(crl[i].ark);
		uint8_t *der = NULL;
		size_t n = 0;
		int bad = 1;
		if (!ark || tm_crl_make(ark, crl[i].key, EVP_sha384(), time(NULL), 30, &der, &n))
			fprintf(stderr, "teeabi-testpki: %s: cannot make the CRL\n", crl[i].name);
		else
			bad = put(dir, crl[i].name, der, n); /* says why itself */
		X509_free(ark);
		free(der);
		if (bad)
			return 1;
	}
	return 0;
}

static char *hex(const uint8_t *b, size_t n)
{
	char *h = malloc(2 * n + 1);

	for (size_t i = 0; h && i < n; i++)
		snprintf(h + 2 * i, 3, "%02x", b[i]);
	if (h)
		h[2 * n] = 0;
	return h;
}

/* {"<key>":<body>,"signature":"<sig>"} */
static int pcs_doc(const char *dir, const char *name, const char *key, const char *body, const char *sig)
{
	char *s = NULL;
	int rc;

	if (asprintf(&s, "{\"%s\":%s,\"signature\":\"%s\"}", key, body, sig) < 0)
		return -1;
	rc = puts_file(dir, name, s);
	free(s);
	return rc;
}

static int collateral(const char *prof, const char *dir)
{
	struct teeabi_profile p;
	struct tm_tdx_collateral c;
	struct tm_dev *d;
	char err[256];
	char *rh = NULL, *ph = NULL;
	json_object *o = NULL;
	int rc = 1;

	if (teeabi_profile_load(teeabi_profile_dir(), prof, &p, err, sizeof(err))) {
		fprintf(stderr, "teeabi-testpki: %s\n", err);
		return 1;
	}
	d = tm_new(&p, TM_NO_FAULTS);
	if (!d || tm_tdx_collateral(d, time(NULL), &c)) {
		fprintf(stderr, "teeabi-testpki: cannot make the collateral of %s\n", prof);
		tm_free(d);
		return 1;
	}
	rh = hex(c.root_ca_crl, c.root_ca_crl_len);
	ph = hex(c.pck_crl, c.pck_crl_len);
	o = json_object_new_object();
	if (!rh || !ph || !o)
		goto out;
	json_object_object_add(o, "pck_crl_issuer_chain", json_object_new_string(c.pck_crl_issuer_chain));
	json_object_object_add(o, "root_ca_crl", json_object_new_string(rh));
	json_object_object_add(o, "pck_crl", json_object_new_string(ph));
	json_object_object_add(o, "tcb_info_issuer_chain", json_object_new_string(c.tcb_issuer_chain));
	json_object_object_add(o, "tcb_info", json_object_new_string(c.tcb_info));
	json_object_object_add(o, "tcb_info_signature", json_object_new_string(c.tcb_info_sig));
	json_object_object_add(o, "qe_identity_issuer_chain", json_object_new_string(c.tcb_issuer_chain));
	json_object_object_add(o, "qe_identity", json_object_new_string(c.qe_identity));
	json_object_object_add(o, "qe_identity_signature", json_object_new_string(c.qe_identity_sig));
	if (pcs_doc(dir, "tcb_info.json", "tcbInfo", c.tcb_info, c.tcb_info_sig) ||
	    pcs_doc(dir, "qe_identity.json", "enclaveIdentity", c.qe_identity, c.qe_identity_sig) ||
	    puts_file(dir, "tcb_info_issuer_chain.pem", c.tcb_issuer_chain) ||
	    puts_file(dir, "pck_crl_issuer_chain.pem", c.pck_crl_issuer_chain) ||
	    put(dir, "root_ca.crl", c.root_ca_crl, c.root_ca_crl_len) || put(dir, "pck.crl", c.pck_crl, c.pck_crl_len) ||
	    puts_file(dir, "collateral.json", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY)))
		goto out;
	rc = 0;
out:
	json_object_put(o);
	free(rh);
	free(ph);
	tm_tdx_collateral_free(&c);
	tm_free(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "roots"))
		return roots(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "collateral"))
		return collateral(argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}
