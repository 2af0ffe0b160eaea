/**
 * Posts messages through the gateway's REST at a fixed rate, round-robin over its chats, each
 * message's content carrying its send timestamp. A separate process, so its CPU is measured apart.
 */
import { Pool } from 'undici';
import { Histogram, type HistogramJson } from '../histogram.js';
import { nowUs, sleep } from '../clock.js';
import { cpuMs } from '../proc.js';
import { stamp } from '../ws/frames.js';

export type PosterCommand =
  | { t: 'setup'; base: string; chats: { id: string; token: string }[]; connections: number }
  | { t: 'run'; rate: number; durationMs: number }
  | { t: 'stop' };

export type PosterReply =
  | { t: 'ready' }
  | { t: 'done'; sent: number; ok: number; statuses: Record<string, number>; skipped: number; http: HistogramJson; ms: number; cpuMs: number }
  | { t: 'stopped' };

let pool: Pool | undefined;
let chats: { path: string; auth: string }[] = [];
let cursor = 0;
const MAX_IN_FLIGHT = 512;

async function run(rate: number, durationMs: number) {
  const http = new Histogram();
  const statuses: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let skipped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const t0 = nowUs();
  const endUs = t0 + durationMs * 1000;
  const post = (c: { path: string; auth: string }) => {
    const start = nowUs();
    inFlight++;
    const p = pool!
      .request({
        method: 'POST',
        path: c.path,
        headers: { 'content-type': 'application/json', authorization: c.auth },
        body: `{"type":"text","content":"${stamp(start)} hello from the bench"}`,
      })
      .then(async (res) => {
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 201) ok++;
        http.record(nowUs() - start);
      })
      .catch((err: Error) => {
        statuses[err.name] = (statuses[err.name] ?? 0) + 1;
      })
      .finally(() => {
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  };
  for (;;) {
    const now = nowUs();
    if (now >= endUs) break;
    const due = Math.floor(((now - t0) / 1e6) * rate);
    while (sent + skipped < due) {
      // Past this many requests in flight the server is broken for this rate: count, don't queue.
      if (inFlight >= MAX_IN_FLIGHT) skipped++;
      else {
        post(chats[cursor]!);
        cursor = (cursor + 1) % chats.length;
        sent++;
      }
    }
    await sleep(1);
  }
  await Promise.race([Promise.all(pending), sleep(10_000)]);
  return { sent, ok, statuses, skipped, http: http.toJSON(), ms: (nowUs() - t0) / 1000 };
}

process.on('message', (cmd: PosterCommand) => {
  void (async () => {
    switch (cmd.t) {
      case 'setup':
        pool = new Pool(cmd.base, { connections: cmd.connections, pipelining: 1 });
        chats = cmd.chats.map((c) => ({ path: `/api/v1/chats/${c.id}/messages`, auth: `Bearer ${c.token}` }));
        cursor = 0;
        process.send!({ t: 'ready' } satisfies PosterReply);
        break;
      case 'run': {
        const r = await run(cmd.rate, cmd.durationMs);
        process.send!({ t: 'done', ...r, cpuMs: cpuMs(process.pid) } satisfies PosterReply);
        break;
      }
      case 'stop':
        await pool?.close().catch(() => undefined);
        process.send!({ t: 'stopped' } satisfies PosterReply);
        setTimeout(() => process.exit(0), 100);
        break;
    }
  })();
});
process.on('disconnect', () => process.exit(0));
