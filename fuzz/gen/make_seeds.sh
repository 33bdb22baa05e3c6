#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# fuzz/gen/make_seeds.sh - regenerates the seeds of the parser fuzz targets (tdreport,
# tdx_quote, sgx_report, snp_report, snp_msg, snp_certs, dstack, detect, profile):
# copies the real vectors (vec-*), the mock profiles (profile/*.conf), and runs
# fuzz/gen/gen_seeds.c (gen-*). Run from anywhere; writes only under corpus/.
# Generated quotes are signed with keys made on each run, so their bytes change; the set
# of shapes does not. See corpus/SOURCES.md.
set -eu
cd "$(dirname "$0")/../.."
targets="tdreport tdx_quote sgx_report snp_report snp_msg snp_certs dstack detect profile"
make -s build/lib/libteeabi.a build/lib/libteeabi_model.a
mkdir -p build/gen
${CC:-gcc} -std=gnu11 -O1 -g -D_GNU_SOURCE -Ilib/include -Imocks/model -fsanitize=address,undefined \
	fuzz/gen/gen_seeds.c build/lib/libteeabi_model.a build/lib/libteeabi.a -lcrypto -ljson-c -lpthread \
	-o build/gen/gen_seeds
for t in $targets; do
	mkdir -p "corpus/$t"
	rm -f "corpus/$t"/gen-* "corpus/$t"/vec-*
done
build/gen/gen_seeds corpus

vec() { # vec TARGET FILE...
	t=$1
	shift
	for f in "$@"; do cp "$f" "corpus/$t/vec-$(basename "$f")"; done
}
vec tdreport vectors/tdx-report/*
# tdx-quote: all but three 5006/8000-byte v4 quotes whose shape another vector already has
# (dcap-qvl__tdx-quote.bin, dcap-qvl__tdx_quote.dat, teekit__tdx-v4-gcp.quote.bin)
vec tdx_quote $(ls vectors/tdx-quote/* | grep -v -e dcap-qvl__tdx-quote.bin -e dcap-qvl__tdx_quote.dat \
	-e teekit__tdx-v4-gcp.quote.bin)
vec snp_report vectors/snp-report/*
vec dstack vectors/dstack/dstack__quote-report.json vectors/dstack/dstack__tdx-lite-getquote.json
vec detect vectors/tdx-report/intel-dcap__tdreport_for_test.dat \
	vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat vectors/tdx-quote/go-tdx-guest__quote_v5_sample.dat \
	vectors/snp-report/ms-tav__turin_attestation_report.bin vectors/snp-report/go-sev-guest__attestation.bin \
	vectors/dstack/dstack__tdx-lite-getquote.json vectors/dstack/dstack__sev-snp-attestation.json \
	vectors/dstack/dstack__guest-agent_attestation.bin
# the QE report of a real quote (signature data at 636, certification data 134 further)
dd if=vectors/tdx-quote/trustee__tdx_quote_4.dat of=corpus/sgx_report/vec-trustee__tdx_quote_4.qe-report \
	bs=1 skip=770 count=384 status=none
# mock profiles: all but the dstack 0.5.x and 0.6.0a files that differ from a kept one only
# in os_version/description (0.5.3-0.5.8, 0.5.10, 0.6.0a1, 0.6.0a2)
rm -f corpus/profile/vec-*.conf
for f in $(ls mocks/profiles/*.conf | grep -v -e 'dstack-0\.5\.[345678]\.conf' -e 'dstack-0\.5\.10\.conf' \
	-e 'dstack-0\.6\.0a'); do
	cp "$f" "corpus/profile/vec-$(basename "$f")"
done
for t in $targets; do
	printf '%-12s %3d files\n' "$t" "$(find "corpus/$t" -maxdepth 1 -type f | wc -l)"
done
