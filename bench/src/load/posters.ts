import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../histogram.js';
import type { PosterCommand, PosterReply } from './poster-worker.js';

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

  async setup(base: string, chats: { id: string; token: string }[], connections: number) {
    const n = this.children.length;
    await Promise.all(this.children.map((c, i) => this.ask(c, { t: 'setup', base, chats: chats.filter((_, j) => j % n === i), connections }, 'ready')));
  }

  async run(rate: number, durationMs: number) {
    const n = this.children.length;
    const rs = await Promise.all(this.children.map((c) => this.ask(c, { t: 'run', rate: rate / n, durationMs }, 'done')));
    const http = new Histogram();
    const statuses: Record<string, number> = {};
    for (const r of rs) {
      http.merge(r.http);
      for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    }
    return {
      sent: rs.reduce((a, r) => a + r.sent, 0),
      ok: rs.reduce((a, r) => a + r.ok, 0),
      skipped: rs.reduce((a, r) => a + r.skipped, 0),
      statuses,
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
