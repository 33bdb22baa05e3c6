/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/profile_check.h - the profile contract (teeabi/profile.h, lib/profile.c) as fuzz
 * properties, shared by fuzz_profile (parsed text) and fuzz_profile_detect (detected
 * profiles).
 */
#ifndef TEEABI_FUZZ_PROFILE_CHECK_H
#define TEEABI_FUZZ_PROFILE_CHECK_H
#include <ctype.h>
#include <stdbool.h>
#include "fuzz.h"
#include "teeabi/profile.h"

/* [A-Za-z0-9._+-]*, not starting with '-' (teeabi/file.h's name rule), terminated in cap */
static int name_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '_' || s[i] == '-' || s[i] == '+'))
			return 0;
	return 1;
}

/* A profile satisfies profile.c's contract. from_file: it was parsed from profile text
 * (which must describe at least one interface); a profile detection derived from a kernel
 * release alone may describe none (a kernel older than every driver). */
static void check_profile(const struct teeabi_profile *p, bool from_file)
{
	FZ_CHECK(p->name[0] && name_ok(p->name, sizeof(p->name)) && strcmp(p->name, ".") && strcmp(p->name, ".."),
		 "name \"%.64s\"", p->name);
	FZ_CHECK(memchr(p->description, 0, sizeof(p->description)), "description not terminated");
	FZ_CHECK(name_ok(p->os_id, sizeof(p->os_id)) && name_ok(p->os_version, sizeof(p->os_version)), "os_id/os_version");
	FZ_CHECK(p->tsm_precreate[0] == 0 || name_ok(p->tsm_precreate, sizeof(p->tsm_precreate)), "tsm_precreate");
	FZ_CHECK(memchr(p->kernel, 0, sizeof(p->kernel)), "kernel not terminated");
	int maj = -1, min = -1, used = 0;
	FZ_CHECK(sscanf(p->kernel, "%d.%d%n", &maj, &min, &used) == 2 && isdigit((unsigned char)p->kernel[0]),
		 "kernel \"%s\"", p->kernel);
	FZ_CHECK(maj == p->kver_major && min == p->kver_minor, "kver %d.%d from \"%s\"", p->kver_major, p->kver_minor,
		 p->kernel);
	FZ_CHECK(!strchr(p->kernel, ' ') && !strchr(p->kernel, '\t'), "kernel with blanks");
	FZ_CHECK(p->platform == TEEABI_PLAT_TDX || p->platform == TEEABI_PLAT_SNP, "platform %d", p->platform);
	FZ_CHECK((unsigned)p->tdx_guest <= TEEABI_TDX_INTEL && (unsigned)p->tsm_provider <= TEEABI_TSM_SEV &&
			 (unsigned)p->rtmr_extend <= TEEABI_RTMR_EXTEND_SYSFS,
		 "enum out of range");
	FZ_CHECK(p->sev_vmpl <= 3 && p->privlevel_floor <= 3, "vmpl %u floor %u", p->sev_vmpl, p->privlevel_floor);
	FZ_CHECK(p->tsm_outblob_max >= 1 && p->tsm_outblob_max <= (1u << 30) && p->tdx_quote_buf >= 1 &&
			 p->tdx_quote_buf <= (1u << 30),
		 "sizes %zu %zu", p->tsm_outblob_max, p->tdx_quote_buf);
	/* the consistency rules */
	FZ_CHECK(!(p->tsm_provider != TEEABI_TSM_NONE && !p->configfs_tsm), "provider without configfs_tsm");
	FZ_CHECK(!(p->tsm_precreate[0] && p->tsm_provider == TEEABI_TSM_NONE), "precreate without provider");
	FZ_CHECK(!(p->tsm_provider == TEEABI_TSM_TDX && p->tdx_guest == TEEABI_TDX_ABSENT), "tdx provider, no tdx_guest");
	FZ_CHECK(!(p->tsm_provider == TEEABI_TSM_SEV && !p->sev_guest), "sev provider, no sev_guest");
	FZ_CHECK(!(p->rtmr_extend == TEEABI_RTMR_EXTEND_SYSFS && !p->tsm_mr), "sysfs extend without tsm_mr");
	FZ_CHECK(!(p->rtmr_extend == TEEABI_RTMR_EXTEND_IOCTL && p->tdx_guest != TEEABI_TDX_DSTACK_MOD &&
		   p->tdx_guest != TEEABI_TDX_INTEL),
		 "ioctl extend without an EXTEND_RTMR driver");
	FZ_CHECK(!(p->tsm_mr && p->tdx_guest == TEEABI_TDX_ABSENT), "tsm_mr without tdx_guest");
	FZ_CHECK(!(p->tdx_extend_index_check && p->tdx_guest != TEEABI_TDX_DSTACK_MOD && p->tdx_guest != TEEABI_TDX_INTEL),
		 "index check without EXTEND_RTMR");
	FZ_CHECK(!from_file || !(p->tdx_guest == TEEABI_TDX_ABSENT && !p->sev_guest && !p->configfs_tsm), "no interface at all");
	FZ_CHECK(!(p->sev_sysfs_vmpl && p->platform != TEEABI_PLAT_SNP), "sev_sysfs_vmpl on tdx");
	/* the dstack agent: a runtime log path (absolute, no blanks, no "/../") when there is one,
	 * no endpoint keys without it */
	FZ_CHECK(memchr(p->agent_runtime_log, 0, sizeof(p->agent_runtime_log)), "agent_runtime_log not terminated");
	FZ_CHECK(!p->agent_runtime_log[0] || (p->agent_runtime_log[0] == '/' && !strpbrk(p->agent_runtime_log, " \t") &&
					      !strstr(p->agent_runtime_log, "/../")),
		 "agent_runtime_log \"%.96s\"", p->agent_runtime_log);
	FZ_CHECK(!(p->agent && !p->agent_runtime_log[0]), "agent without a runtime log");
	FZ_CHECK(p->agent || !(p->agent_emit_event || p->agent_attest || p->agent_version), "agent endpoints without an agent");
}

#endif
