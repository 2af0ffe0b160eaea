/**
 * Publishes chat events straight into NATS at a fixed rate, round-robin over chats, each with the
 * next `Chat-Seq` of its chat. Runs in its own process so its CPU is measured apart.
 */
import { connect, headers, type NatsConnection } from 'nats';
import { createSubjects, eventHeaders } from '@chatroulette/contracts';
import { nowUs, sleep } from '../clock.js';
import { cpuMs } from '../proc.js';
import { newMessageFrame } from './frame-body.js';

export type InjectorCommand =
  | { t: 'setup'; natsUrl: string; namespace: string; chats: { id: string; userId: string; lastSeq: number }[] }
  | { t: 'run'; rate: number; durationMs: number }
  | { t: 'stop' };

export type InjectorReply =
  | { t: 'ready' }
  | { t: 'done'; sent: number; ms: number; cpuMs: number; maxLagMs: number }
  | { t: 'stopped' };

let nc: NatsConnection | undefined;
let chats: { subject: string; id: string; userId: string; seq: number }[] = [];
let cursor = 0;
const enc = new TextEncoder();

async function run(rate: number, durationMs: number) {
  const t0 = nowUs();
  const endUs = t0 + durationMs * 1000;
  let sent = 0;
  let maxLagMs = 0;
  for (;;) {
    const now = nowUs();
    if (now >= endUs) break;
    const due = Math.floor(((now - t0) / 1e6) * rate);
    // Cap one burst so the event loop (and NATS flushing) keeps turning.
    const burst = Math.min(due - sent, 2000);
    if (due - sent > rate * 0.05) maxLagMs = Math.max(maxLagMs, ((due - sent) / rate) * 1000);
    for (let i = 0; i < burst; i++) {
      const c = chats[cursor]!;
      cursor = (cursor + 1) % chats.length;
      c.seq++;
      const h = headers();
      h.set(eventHeaders.seq, String(c.seq));
      nc!.publish(c.subject, enc.encode(newMessageFrame(c.id, c.seq, c.userId, nowUs())), { headers: h });
    }
    sent += burst;
    await sleep(1);
  }
  await nc!.flush();
  return { sent, ms: (nowUs() - t0) / 1000, maxLagMs };
}

process.on('message', (cmd: InjectorCommand) => {
  void (async () => {
    switch (cmd.t) {
      case 'setup': {
        nc ??= await connect({ servers: cmd.natsUrl.split(','), name: 'bench-injector' });
        const subjects = createSubjects(cmd.namespace);
        chats = cmd.chats.map((c) => ({ subject: subjects.chatEvent(c.id, 'new_message'), id: c.id, userId: c.userId, seq: c.lastSeq }));
        cursor = 0;
        process.send!({ t: 'ready' } satisfies InjectorReply);
        break;
      }
      case 'run': {
        const r = await run(cmd.rate, cmd.durationMs);
        process.send!({ t: 'done', ...r, cpuMs: cpuMs(process.pid) } satisfies InjectorReply);
        break;
      }
      case 'stop':
        await nc?.drain().catch(() => undefined);
        process.send!({ t: 'stopped' } satisfies InjectorReply);
        setTimeout(() => process.exit(0), 100);
        break;
    }
  })();
});
process.on('disconnect', () => process.exit(0));
