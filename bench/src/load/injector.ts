import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { InjectorCommand, InjectorReply } from './injector-worker.js';

const file = fileURLToPath(new URL('./injector-worker.ts', import.meta.url));

/** Parent-side handle of the injector process. */
export class Injector {
  private constructor(private readonly child: ChildProcess) {}

  static start(): Injector {
    return new Injector(fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  private ask<T extends InjectorReply['t']>(cmd: InjectorCommand, reply: T): Promise<Extract<InjectorReply, { t: T }>> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: InjectorReply) => {
        if (m.t !== reply) return;
        this.child.off('message', onMsg);
        this.child.off('exit', onExit);
        resolve(m as Extract<InjectorReply, { t: T }>);
      };
      const onExit = (code: number) => reject(new Error(`injector exited (${code})`));
      this.child.on('message', onMsg);
      this.child.once('exit', onExit);
      this.child.send(cmd);
    });
  }

  setup(natsUrl: string, namespace: string, chats: { id: string; userId: string; lastSeq: number }[]) {
    return this.ask({ t: 'setup', natsUrl, namespace, chats }, 'ready');
  }

  run(rate: number, durationMs: number) {
    return this.ask({ t: 'run', rate, durationMs }, 'done');
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    await Promise.race([this.ask({ t: 'stop' }, 'stopped'), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
