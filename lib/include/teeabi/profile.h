/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/profile.h - what an image or kernel offers, and with which ABI flavour.
 *
 * A profile is a data file mocks/profiles/<name>.conf of `key = value` lines (# comments).
 * Version-dependent behaviour lives HERE, not in tests: profile.c derives every behaviour
 * flag from the kernel release (docs/kernel-abi.md "Version deltas"), then the file's
 * explicit keys override. Tests and models read the flags; neither compares versions.
 *
 * Keys (all optional except name/kernel):
 *   name, description, platform = tdx|snp
 *   os_id, os_version            -> /etc/os-release ID / VERSION_ID ("" = not dstack)
 *   kernel                       -> kernel release, e.g. 6.9.0-dstack, 6.18.6-dstack
 *   tdx_guest = absent|upstream|dstack-mod|intel
 *   tdx_extend_index_check = 0|1 (dstack module >= 0.5.9)
 *   configfs_tsm = 0|1           (is /sys/kernel/config/tsm/report there)
 *   tsm_provider = none|tdx_guest|sev_guest
 *   tsm_precreate = <entry name> (created at boot, e.g. com.intel.dcap)
 *   sev_guest = 0|1, sev_vmpl = N
 *   tsm_mr = 0|1                 (measurements/ sysfs)
 *   rtmr_extend = none|ioctl|sysfs
 *   agent = 0|1                  (dstack guest agent at /var/run/dstack.sock + tappd.sock)
 *   agent_emit_event, agent_attest (Attest/Sign/Verify), agent_version = 0|1 (endpoints)
 *   agent_evlog = full|stripped  (GetQuote event-log format: full <= 0.5.5, stripped 0.5.6+)
 *   agent_runtime_log = <path>   (the runtime event log file)
 *   agent_log_first = 0|1        (EmitEvent appends the log line before extending: 0.5.6-0.5.11)
 *   tdx_td_attributes, tdx_xfam = any|0x<hex> (the TD's exact ATTRIBUTES / XFAM where an image
 *                                fixes them; any, the default, where the host's launch decides)
 *   agent_crate_version = V[|V...]|any (what Version answers: the guest-agent crate's version,
 *                                 which is not the image's on the 0.6.0 pins; empty = not recorded)
 *   and every derived flag below by its field name (e.g. tdx_quote_buf = 131072),
 *   except tsm_svsm, which always follows from tsm_visibility_611, tsm_provider and sev_vmpl.
 */
#ifndef TEEABI_PROFILE_H
#define TEEABI_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

enum teeabi_platform { TEEABI_PLAT_TDX = 1, TEEABI_PLAT_SNP = 2 };
enum teeabi_tdx_flavour { TEEABI_TDX_ABSENT = 0, TEEABI_TDX_UPSTREAM, TEEABI_TDX_DSTACK_MOD, TEEABI_TDX_INTEL };
enum teeabi_tsm_provider { TEEABI_TSM_NONE = 0, TEEABI_TSM_TDX, TEEABI_TSM_SEV };
enum teeabi_rtmr_extend { TEEABI_RTMR_EXTEND_NONE = 0, TEEABI_RTMR_EXTEND_IOCTL, TEEABI_RTMR_EXTEND_SYSFS };

/* snp_product = milan|genoa|turin (default milan); snp_signer = vcek|vlek (default vcek);
 * snp_debug = 0|1|any (default 0: production guests, POLICY.DEBUG clear) */
enum teeabi_snp_product { TEEABI_SNP_MILAN, TEEABI_SNP_GENOA, TEEABI_SNP_TURIN };

struct teeabi_profile {
	char name[64];
	char description[200];
	enum teeabi_platform platform;
	char os_id[32];           /* "dstack" or "" */
	char os_version[32];      /* "0.5.9" */
	char kernel[64];          /* "6.9.0-dstack" */
	int kver_major, kver_minor;

	/* /dev/tdx_guest */
	enum teeabi_tdx_flavour tdx_guest;
	bool tdx_extend_index_check;   /* EXTEND_RTMR index > 3 -> EINVAL (dstack >= 0.5.9) */
	bool tdx_report_errnos_616;    /* TDCALL errors: ENXIO/EBUSY/EIO(+EINTR) (>= 6.16) vs EINVAL/EIO */
	int dev_mode;                  /* the widest permission bits /dev/tdx_guest and /dev/sev-guest
					* may have, owner root (key dev_mode, octal), where the image fixes
					* them: 0600 on dstack images (devtmpfs' default, no udev rule);
					* -1 ("any", the default) where udev policy of the distribution or
					* the deployment decides (a group rule such as 0660 is common) */
	/* configfs-tsm */
	bool configfs_tsm;             /* report root exists (>= 6.7 with TSM_REPORTS) */
	enum teeabi_tsm_provider tsm_provider;
	char tsm_precreate[64];        /* entry created at boot, "" = none */
	bool tsm_visibility_611;       /* single type + visibility callbacks, SVSM attrs possible (>= 6.11) */
	bool tsm_svsm;                 /* service_provider, service_guid, service_manifest_version and
					* manifestblob are there: tsm_visibility_611, provider sev_guest and
					* sev_vmpl != 0 (sev_report_attr_visible() returns snp_vmpl). Derived
					* from those three keys, never a key of its own. */
	bool tsm_no_provider_enxio;    /* provider gone -> ENXIO (>= 6.16) vs ENOTTY */
	unsigned privlevel_floor;      /* 0 (6.7-6.10), running VMPL (>= 6.11) */
	size_t tsm_outblob_max;        /* 32K (6.7) or 16M (later) */
	size_t tdx_quote_buf;          /* GET_QUOTE_BUF_SIZE: 8K, 128K by 7.0 */
	bool tdx_quote_status_check;   /* status != 0 -> EIO, out_len > buf -> EFBIG (7.0) */

	/* /dev/sev-guest */
	bool sev_guest;
	unsigned sev_vmpl;             /* VMPL the guest runs at */
	bool sev_sysfs_vmpl;           /* /sys/devices/system/cpu/sev/vmpl reads "<sev_vmpl>\n" (SNP
					* guests, >= 6.11: added with the SVSM support; the directory is
					* made only when the guest is SEV-SNP) */
	bool sev_throttle;             /* host BUSY retried 60 s then ETIMEDOUT (>= 6.3) vs EIO */
	bool sev_vmpck_check_early;    /* 6.1 form: VMPCK-disabled ENOTTY before cmd dispatch */
	enum teeabi_snp_product snp_product; /* the simulated CPU (CPUID, TCB layout, KDS chain) */
	bool snp_vlek;                 /* reports are signed with a VLEK (SIGNER_INFO 1), not a VCEK */
	int snp_debug;                 /* POLICY.DEBUG (bit 19) of the image's SNP guests (key snp_debug =
					* 0|1|any): 0 production (the default: the hypervisor must not
					* be able to decrypt the guest), 1 a debug image, -1 any */

	/* measurements */
	bool tsm_mr;                   /* /sys/devices/virtual/misc/tdx_guest/measurements (>= 6.16) */
	enum teeabi_rtmr_extend rtmr_extend;

	/* dstack guest agent (docs/dstack-os.md §3); all off unless the profile says so */
	bool agent;
	bool agent_emit_event;         /* EmitEvent (0.5.0+, removed at monorepo HEAD) */
	bool agent_attest;             /* Attest, Sign, Verify (0.5.6+) */
	bool agent_version;            /* Version on DstackGuest and Tappd (0.5.7+) */
	bool agent_evlog_stripped;     /* GetQuote log: boot payloads and runtime digests empty (0.5.6+) */
	bool agent_log_first;          /* log line appended before the extend (0.5.6-0.5.11) */
	char agent_runtime_log[96];    /* /run/log/tdx_mr3/tdx_events.log (<= 0.5.5) or
					* /run/log/dstack/runtime_events.log (0.5.6+) */

	/* TD shape (suites/common/util.c u_judge_td_values): the exact TD ATTRIBUTES and XFAM
	 * every report must carry, where the image fixes them (key = 0x<hex>); unset ("any",
	 * the default) where they vary in the field: XFAM follows the host CPU, ATTRIBUTES the
	 * VMM's launch options (SEPT_VE_DISABLE may be left clear for the kernel to set
	 * TD_CTLS.PENDING_VE_DISABLE itself, arch/x86/coco/tdx/tdx.c disable_sept_ve()). The TUD
	 * bits (DEBUG) are judged on every profile whatever these say. */
	bool tdx_td_attributes_set, tdx_xfam_set;
	unsigned long long tdx_td_attributes, tdx_xfam;
	char agent_crate_version[64];  /* Version's "version" (CARGO_PKG_VERSION of guest-agent,
					* the workspace version): the accepted values separated by
					* '|', "any", or "" (not recorded); the mock answers the first */
};

/* Directory holding <name>.conf: $TEEABI_PROFILE_DIR, else mocks/profiles relative to the
 * executable's source tree, else profiles/ beside the executable's directory (the `make dist`
 * bundle and `make install` layout), else /usr/share/teeabi/profiles. Never NULL. */
const char *teeabi_profile_dir(void);
/* Load dir/<name>.conf. On error returns -1 and writes a one-line reason to err. */
int teeabi_profile_load(const char *dir, const char *name, struct teeabi_profile *p, char *err, size_t errlen);
/* Parse profile text (for tests and fuzzing). */
int teeabi_profile_parse(const char *text, struct teeabi_profile *p, char *err, size_t errlen);
/* Fill the derived flags from p->kernel (called by load/parse before explicit keys apply). */
void teeabi_profile_derive(struct teeabi_profile *p);
/* Sorted profile names in dir; returns count (<= max) or -1. */
int teeabi_profile_list(const char *dir, char (*names)[64], int max);
/* Detect the running image: /etc/os-release (ID, VERSION_ID) and /proc/sys/kernel/osrelease,
 * then pick the matching profile (dstack-<VERSION_ID>-<tdx|snp>, dstack-<VERSION_ID>, or
 * upstream-<maj.min>-<platform>). On SEV-SNP the running VMPL is read from
 * /sys/devices/system/cpu/sev/vmpl (6.11+): above 0 an upstream kernel line's -svsm profile is
 * preferred, and any profile takes the running VMPL (with privlevel_floor on 6.11+ and tsm_svsm).
 * root is prepended to the paths (NULL = "/").
 * Returns 0 with *p filled and matched=true, or 0 with a derived generic profile. */
int teeabi_profile_detect(const char *root, struct teeabi_profile *p, bool *matched, char *err, size_t errlen);
/* The same detection over any source of the files it looks at (teeabi_profile_detect reads
 * them under root; the fuzz target serves them from memory). rel is an absolute path such as
 * "/etc/os-release". read puts at most cap - 1 bytes of the file and a NUL in buf and
 * returns 0, or -1 when the file cannot be read; exists says whether the path exists.
 * label names the source in error text (root for teeabi_profile_detect). Profiles are
 * still loaded from teeabi_profile_dir(). */
struct teeabi_detect_src {
	int (*read)(void *ctx, const char *rel, char *buf, size_t cap);
	bool (*exists)(void *ctx, const char *rel);
	void *ctx;
	const char *label;
};
int teeabi_profile_detect_src(const struct teeabi_detect_src *src, struct teeabi_profile *p, bool *matched, char *err,
			      size_t errlen);

const char *teeabi_tdx_flavour_name(enum teeabi_tdx_flavour f);
const char *teeabi_tsm_provider_name(enum teeabi_tsm_provider p); /* "none", "tdx_guest", "sev_guest" */

#endif
