/* SPDX-License-Identifier: Apache-2.0 */
/* genuine_roots.h - PEM text of the genuine vendor roots (genuine_roots.c), lib-internal. */
#ifndef TEEABI_GENUINE_ROOTS_H
#define TEEABI_GENUINE_ROOTS_H
extern const char teeabi_pem_intel_sgx_root_ca[], teeabi_pem_amd_ark_milan[], teeabi_pem_amd_ark_genoa[],
	teeabi_pem_amd_ark_turin[];
#endif
