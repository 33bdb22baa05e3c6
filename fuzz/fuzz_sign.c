/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_sign.c - fuzz_roundtrip with the device models' real signing: every quote the
 * TDX model builds carries two ECDSA-P256 signatures (quote, QE report) and every SNP
 * report an ECDSA-P384 one, made with the test PKI (mocks/model/pki_*.c) and verified by
 * the library (lib/tdx_crypto.c, lib/snp_crypto.c) on every input. The other model-driving
 * targets sign with the fast stand-in (tm_set_fast_sign); this one keeps the real path
 * fuzzed. Its speed is the crypto's: hundreds of execs/s.
 */
#define FZ_REAL_SIGN 1
#include "fuzz_roundtrip.c"
