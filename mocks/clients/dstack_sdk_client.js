// SPDX-License-Identifier: Apache-2.0
// dstack_sdk_client.js - drives dstack's own JavaScript SDK (@phala/dstack-sdk, unmodified,
// found through NODE_PATH) against whatever agent answers at the SDK's socket paths; used by
// scripts/check.d/38-dstack-sdk.sh inside mockenv. Writes what the SDK returns, one file per
// call, into OUT (argv[2]) for teeabi-parse and the shell checks to judge:
//   getquote.json   DstackClient.getQuote(RD)           (RD: hex from the environment)
//   sdk-replay.json the SDK's own replayRtmrs() of that event log
//   info.json       DstackClient.info()
//   getkey.json     DstackClient.getKey("teeabi/sdk", "check")
//   version.json    DstackClient.version() (or {"error": ...} on images without Version)
//   emit.json       DstackClient.emitEvent(EVENT, PAYLOAD) then getQuote(RD) again
//   tappd.json      TappdClient.tdxQuote(RD, "sha256")
'use strict';
const fs = require('fs');
const path = require('path');
const { DstackClient, TappdClient } = require('@phala/dstack-sdk');

const out = process.argv[2];
const rd = Buffer.from(process.env.RD, 'hex');
const put = (name, v) => fs.writeFileSync(path.join(out, name), JSON.stringify(v) + '\n');
const err = (e) => ({ error: String(e && e.message ? e.message : e) });

async function main() {
  const c = new DstackClient();
  put('endpoint.json', { endpoint: c.endpoint });
  const q = await c.getQuote(rd);
  put('getquote.json', { quote: q.quote, event_log: q.event_log, report_data: q.report_data, vm_config: q.vm_config });
  put('sdk-replay.json', q.replayRtmrs());
  const info = await c.info();
  put('info.json', info);
  const k = await c.getKey('teeabi/sdk', 'check');
  put('getkey.json', { key: Buffer.from(k.key).toString('hex'), chain: k.signature_chain.length });
  try { put('version.json', await c.version()); } catch (e) { put('version.json', err(e)); }
  try {
    await c.emitEvent(process.env.EVENT, Buffer.from(process.env.PAYLOAD, 'hex'));
    const q2 = await c.getQuote(rd);
    put('emit.json', { quote: q2.quote, event_log: q2.event_log, report_data: q2.report_data });
  } catch (e) { put('emit.json', err(e)); }
  try {
    const t = await new TappdClient().tdxQuote(rd, 'sha256');
    put('tappd.json', { quote: t.quote, event_log: t.event_log, hash_algorithm: t.hash_algorithm, prefix: t.prefix });
  } catch (e) { put('tappd.json', err(e)); }
}
main().then(() => process.exit(0), (e) => { console.error('sdk client:', e); process.exit(3); });
