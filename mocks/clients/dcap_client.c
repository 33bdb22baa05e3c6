/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dcap_client - drive an unmodified Intel DCAP libtdx_attest.so (a third-party TDX client that
 * teeabi does not build) through its public API, so that check step 36-intel-dcap can run it
 * against mockenv exactly as a guest application would.
 *
 * The library is loaded with dlopen() from the path given; the declarations below are the
 * documented ABI of Intel's tdx_attest.h (packed structs, tdx_attest_error_t values). This
 * program only passes arguments and writes results: it never touches /dev or /sys itself.
 *
 * usage: dcap_client LIB report RD_HEX OUT     tdx_att_get_report, the 1024-byte TDREPORT to OUT
 *        dcap_client LIB quote RD_HEX OUT      tdx_att_get_quote (default key id), the quote to OUT
 *        dcap_client LIB extend INDEX DATA_HEX tdx_att_extend (event version 1, no event data)
 *        dcap_client LIB keyids                tdx_att_get_supported_att_key_ids
 * Prints "rc=N NAME" (N the tdx_attest_error_t) and exits 0 on TDX_ATTEST_SUCCESS, 1 on any
 * other library result, 2 on a usage or loading error.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexarg.h"

#pragma pack(push, 1)
struct att_uuid { uint8_t d[16]; };
struct att_report_data { uint8_t d[64]; };
struct att_report { uint8_t d[1024]; };
struct att_rtmr_event {
	uint32_t version;
	uint64_t rtmr_index;
	uint8_t extend_data[48];
	uint32_t event_type;
	uint32_t event_data_size;
};
#pragma pack(pop)
_Static_assert(sizeof(struct att_rtmr_event) == 68, "tdx_rtmr_event_t is packed, 68 bytes without event data");

typedef int (*get_report_fn)(const struct att_report_data *, struct att_report *);
typedef int (*get_quote_fn)(const struct att_report_data *, const struct att_uuid *, uint32_t, struct att_uuid *,
			    uint8_t **, uint32_t *, uint32_t);
typedef int (*free_quote_fn)(uint8_t *);
typedef int (*extend_fn)(const struct att_rtmr_event *);
typedef int (*keyids_fn)(struct att_uuid *, uint32_t *);

static const char *rc_name(int rc)
{
	static const char *const names[] = {
		"SUCCESS", "ERROR_UNEXPECTED", "ERROR_INVALID_PARAMETER", "ERROR_OUT_OF_MEMORY",
		"ERROR_VSOCK_FAILURE", "ERROR_REPORT_FAILURE", "ERROR_EXTEND_FAILURE", "ERROR_NOT_SUPPORTED",
		"ERROR_QUOTE_FAILURE", "ERROR_BUSY", "ERROR_DEVICE_FAILURE", "ERROR_INVALID_RTMR_INDEX",
		"ERROR_UNSUPPORTED_ATT_KEY_ID",
	};
	return rc >= 0 && (size_t)rc < sizeof(names) / sizeof(names[0]) ? names[rc] : "UNKNOWN";
}

static int write_out(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "dcap_client: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (!p) {
		fprintf(stderr, "dcap_client: %s: %s\n", name, dlerror());
		exit(2);
	}
	return p;
}

static int usage(void)
{
	fprintf(stderr, "usage: dcap_client LIB report|quote RD_HEX(64 bytes) OUT\n"
			"       dcap_client LIB extend INDEX DATA_HEX(48 bytes)\n"
			"       dcap_client LIB keyids\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "dcap_client: dlopen %s: %s\n", argv[1], dlerror());
		return 2;
	}
	const char *cmd = argv[2];
	int rc;
	if ((!strcmp(cmd, "report") || !strcmp(cmd, "quote")) && argc == 5) {
		struct att_report_data rd;
		if (hexarg_decode(argv[3], rd.d, sizeof(rd.d)))
			return usage();
		if (!strcmp(cmd, "report")) {
			static struct att_report rep;
			rc = ((get_report_fn)sym(h, "tdx_att_get_report"))(&rd, &rep);
			if (rc == 0 && write_out(argv[4], rep.d, sizeof(rep.d)))
				return 2;
		} else {
			uint8_t *q = NULL;
			uint32_t qlen = 0;
			struct att_uuid id;
			memset(&id, 0, sizeof(id));
			rc = ((get_quote_fn)sym(h, "tdx_att_get_quote"))(&rd, NULL, 0, &id, &q, &qlen, 0);
			if (rc == 0) {
				printf("quote_size=%u\n", qlen);
				hexarg_print("key_id", id.d, sizeof(id.d));
				if (!q || write_out(argv[4], q, qlen))
					return 2;
				((free_quote_fn)sym(h, "tdx_att_free_quote"))(q);
			}
		}
	} else if (!strcmp(cmd, "extend") && argc == 5) {
		struct att_rtmr_event ev;
		char *end;
		memset(&ev, 0, sizeof(ev));
		ev.version = 1;
		ev.rtmr_index = strtoull(argv[3], &end, 10);
		if (*end || hexarg_decode(argv[4], ev.extend_data, sizeof(ev.extend_data)))
			return usage();
		rc = ((extend_fn)sym(h, "tdx_att_extend"))(&ev);
	} else if (!strcmp(cmd, "keyids") && argc == 3) {
		struct att_uuid ids[4];
		uint32_t n = 4;
		rc = ((keyids_fn)sym(h, "tdx_att_get_supported_att_key_ids"))(ids, &n);
		for (uint32_t i = 0; rc == 0 && i < n && i < 4; i++)
			hexarg_print("key_id", ids[i].d, sizeof(ids[i].d));
	} else {
		return usage();
	}
	printf("rc=%d %s\n", rc, rc_name(rc));
	return rc == 0 ? 0 : 1;
}
