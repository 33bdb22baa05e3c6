/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent.h - a mock dstack guest agent (docs/dstack-os.md §3) served from the same machine
 * model as the device mocks.
 *
 * It runs inside the mockfs process, as libmicrohttpd threads, on the one struct tm_dev that
 * mockfs serves at /dev/tdx_guest, configfs-tsm and measurements/: its quotes come from the
 * model's TDREPORT and QE, EmitEvent extends the model's RTMR3 (what a GET_REPORT0 or the
 * measurements file shows next), and its event log replays to the model's registers. A
 * separate daemon talking to mockfs would need a second copy of the state or a private
 * protocol; a thread shares the machine and its lock.
 *
 * dir receives dstack.sock (DstackGuest: /GetQuote, /Info, ...) and tappd.sock (Tappd:
 * /prpc/Tappd.<Method>), HTTP/1.1 over Unix sockets, and log/<...>: the profile's runtime
 * event log file with its /run/log/ prefix replaced by dir/log/. mockenv binds them at
 * /var/run/dstack.sock, /var/run/tappd.sock, /var/run/dstack/{dstack,tappd}.sock and
 * /run/log.
 */
#ifndef TEEABI_MOCK_AGENT_H
#define TEEABI_MOCK_AGENT_H

#include <stddef.h>
#include "model.h"

struct tm_agent;
/* Start serving (the boot events of dstack-util are extended and logged first). NULL with
 * err set on failure. */
struct tm_agent *tm_agent_start(struct tm_dev *d, const char *dir, char *err, size_t errlen);
void tm_agent_stop(struct tm_agent *a);

#endif
