import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../histogram.js';
import type { PosterCommand, PosterReply, PosterTransport } from './poster-worker.js';
import type { SenderChat } from './sender.js';

const file = fileURLToPath(new URL('./poster-worker.ts', import.meta.url));

/** Several poster processes sharing the chats and the rate. */
export class Posters {
  private constructor(private readonly children: ChildProcess[]) {}

  static start(n: number): Posters {
    return new Posters(Array.from({ length: n }, () => fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!);
  }

  private ask<T extends PosterReply['t']>(c: ChildProcess, cmd: PosterCommand, reply: T): Promise<Extract<PosterReply, { t: T }>> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: PosterReply) => {
        if (m.t !== reply) return;
        c.off('message', onMsg);
        c.off('exit', onExit);
        resolve(m as Extract<PosterReply, { t: T }>);
      };
      const onExit = (code: number) => reject(new Error(`poster exited (${code})`));
      c.on('message', onMsg);
      c.once('exit', onExit);
      c.send(cmd);
    });
  }

  /**
   * Each process takes its share of the chats: `http` opens `connections` keep-alive connections
   * per process, `socket` one socket per chat. Resolves with the sockets that failed to open.
   */
  async setup(target: { host: string; port: number }, transport: PosterTransport, chats: SenderChat[], connections: number): Promise<Record<string, number>> {
    const n = this.children.length;
    const rs = await Promise.all(
      this.children.map((c, i) => this.ask(c, { t: 'setup', ...target, transport, chats: chats.filter((_, j) => j % n === i), connections }, 'ready')),
    );
    return sumCounts(rs.map((r) => r.failed));
  }

  async run(rate: number, durationMs: number) {
    const n = this.children.length;
    const rs = await Promise.all(this.children.map((c) => this.ask(c, { t: 'run', rate: rate / n, durationMs }, 'done')));
    const http = new Histogram();
    for (const r of rs) http.merge(r.http);
    return {
      sent: rs.reduce((a, r) => a + r.sent, 0),
      ok: rs.reduce((a, r) => a + r.ok, 0),
      skipped: rs.reduce((a, r) => a + r.skipped, 0),
      statuses: sumCounts(rs.map((r) => r.statuses)),
      /** The sender's own sockets that closed (cumulative). */
      closed: sumCounts(rs.map((r) => r.closed)),
      http,
      ms: Math.max(...rs.map((r) => r.ms)),
    };
  }

  async stop() {
    await Promise.all(
      this.children.map(async (c) => {
        if (c.exitCode !== null) return;
        await Promise.race([this.ask(c, { t: 'stop' }, 'stopped'), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
        if (c.exitCode === null) c.kill('SIGKILL');
      }),
    );
  }
}

function sumCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of all) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}
