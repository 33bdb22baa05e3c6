/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snp_verify REPORT_FILE CERTS_FILE - check an SNP extended report as a verifier would: the
 * certificate table parses, has a VCEK, and the report's ECDSA-P384 signature verifies with
 * it (libteeabi, OpenSSL). Prints "ok entries=N" or the error; exit 0 / 1 / 2 (usage).
 * Used by scripts/check.d/30-mockenv.sh on what client_static/client_dyn printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include "teeabi/err.h"
#include "teeabi/snp.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	size_t cap = 0, n = 0, r;
	if (!f)
		return NULL;
	do {
		if (n == cap) {
			unsigned char *nb = realloc(b, cap ? cap * 2 : 65536);
			if (!nb) {
				free(b);
				fclose(f);
				return NULL;
			}
			b = nb;
			cap = cap ? cap * 2 : 65536;
		}
		r = fread(b + n, 1, cap - n, f);
		n += r;
	} while (r > 0 && n < (64u << 20));
	fclose(f);
	*len = n;
	return b;
}

int main(int argc, char **argv)
{
	size_t rl, cl;
	if (argc != 3) {
		fprintf(stderr, "usage: snp_verify REPORT_FILE CERTS_FILE\n");
		return 2;
	}
	unsigned char *rep = slurp(argv[1], &rl), *certs = slurp(argv[2], &cl);
	if (!rep || !certs) {
		fprintf(stderr, "snp_verify: cannot read input\n");
		return 1;
	}
	static struct teeabi_cert_table t;
	teeabi_err e = teeabi_snp_cert_table_parse(certs, cl, 0, &t);
	int rc = 1;
	if (e) {
		printf("cert table: %s\n", teeabi_err_name(e));
		goto out;
	}
	for (size_t i = 0; i < t.count; i++) {
		if (t.e[i].kind != TEEABI_CERT_VCEK)
			continue;
		e = teeabi_snp_report_verify(rep, rl, t.e[i].data.p, t.e[i].data.len);
		if (e) {
			printf("signature: %s\n", teeabi_err_name(e));
			goto out;
		}
		printf("ok entries=%zu\n", t.count);
		rc = 0;
		goto out;
	}
	printf("no VCEK in the certificate table (%zu entries)\n", t.count);
out:
	free(rep);
	free(certs);
	return rc;
}
