/**
 * Sends chat messages at a fixed rate, round-robin over its chats, each message's content carrying
 * its send timestamp: POSTs over raw keep-alive HTTP (`http`) or send_message frames over the
 * sending participant's sockets (`socket`). A separate process, so its CPU is measured apart.
 */
import { Histogram, type HistogramJson } from '../histogram.js';
import { nowUs, sleep } from '../clock.js';
import { cpuMs } from '../proc.js';
import { httpSender } from './http-sender.js';
import { wsSender } from './ws-sender.js';
import type { Sender, SenderChat } from './sender.js';

export type PosterTransport = 'http' | 'socket';

export type PosterCommand =
  | { t: 'setup'; host: string; port: number; transport: PosterTransport; chats: SenderChat[]; connections: number }
  | { t: 'run'; rate: number; durationMs: number }
  | { t: 'stop' };

export type PosterReply =
  | { t: 'ready'; failed: Record<string, number> }
  | { t: 'done'; sent: number; ok: number; statuses: Record<string, number>; skipped: number; http: HistogramJson; ms: number; closed: Record<string, number>; cpuMs: number }
  | { t: 'stopped' };

const MAX_IN_FLIGHT = 512;

let sender: Sender | undefined;
let chatCount = 0;
let cursor = 0;
/** The step under way: what the answers are counted into. */
let step = newStep();
/** Sender sockets closed since the setup (`socket` only). */
const closed: Record<string, number> = {};

function newStep() {
  return { http: new Histogram(), statuses: {} as Record<string, number>, ok: 0, answered: 0 };
}

function onAnswer(status: string, ok: boolean, startUs: number) {
  step.statuses[status] = (step.statuses[status] ?? 0) + 1;
  step.answered++;
  if (ok) step.ok++;
  if (startUs > 0) step.http.record(nowUs() - startUs);
}

async function run(rate: number, durationMs: number) {
  step = newStep();
  let sent = 0;
  let skipped = 0;
  const t0 = nowUs();
  const endUs = t0 + durationMs * 1000;
  for (;;) {
    const now = nowUs();
    if (now >= endUs) break;
    const due = Math.floor(((now - t0) / 1e6) * rate);
    while (sent + skipped < due) {
      // Past this many messages in flight the server is broken for this rate: count, don't queue.
      if (sent - step.answered >= MAX_IN_FLIGHT) skipped++;
      else {
        sender!.send(cursor, nowUs());
        cursor = (cursor + 1) % chatCount;
        sent++;
      }
    }
    // Wake when the next message is due, not every millisecond: at low rates the wake-ups were most of the cost.
    const nextUs = t0 + ((sent + skipped + 1) / rate) * 1e6;
    await sleep(Math.max(1, Math.min(Math.floor((nextUs - nowUs()) / 1000), Math.ceil((endUs - nowUs()) / 1000))));
  }
  const waitUntil = Date.now() + 10_000;
  while (step.answered < sent && Date.now() < waitUntil) await sleep(5);
  return { sent, ok: step.ok, statuses: step.statuses, skipped, http: step.http.toJSON(), ms: (nowUs() - t0) / 1000, closed };
}

process.on('message', (cmd: PosterCommand) => {
  void (async () => {
    switch (cmd.t) {
      case 'setup': {
        // Set up again for another path: the previous path's connections or sockets go (their closes uncounted).
        sender?.close();
        chatCount = cmd.chats.length;
        cursor = 0;
        let failed: Record<string, number> = {};
        if (cmd.transport === 'http') sender = httpSender(cmd.host, cmd.port, cmd.chats, cmd.connections, onAnswer);
        else {
          const s = await wsSender(cmd.host, cmd.port, cmd.chats, onAnswer, (code) => {
            closed[code] = (closed[code] ?? 0) + 1;
          });
          sender = s.sender;
          failed = s.failures;
        }
        process.send!({ t: 'ready', failed } satisfies PosterReply);
        break;
      }
      case 'run': {
        const r = await run(cmd.rate, cmd.durationMs);
        process.send!({ t: 'done', ...r, cpuMs: cpuMs(process.pid) } satisfies PosterReply);
        break;
      }
      case 'stop':
        sender?.close();
        process.send!({ t: 'stopped' } satisfies PosterReply);
        setTimeout(() => process.exit(0), 100);
        break;
    }
  })();
});
process.on('disconnect', () => process.exit(0));
