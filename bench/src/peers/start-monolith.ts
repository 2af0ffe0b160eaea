import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startOwnProcess } from '@chatroulette/testing';
import type { BenchChat } from '../fixtures.js';
import { dropMonolithDatabase } from './monolith-schema.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const listening = /^LISTENING (\d+)/;

export interface Monolith {
  pid: number;
  port: number;
  /** The same chats and users as the gateway's, with the monolith's own tokens. */
  chats: BenchChat[];
  stop(): Promise<void>;
}

/**
 * Starts the monolith peer in its own process and database (`chatroulette_bench_monolith_<ns>`,
 * dropped at stop) and seeds it with the bench's chats.
 */
export async function startMonolith(env: { databaseUrl: string; namespace: string; cwd: string; openFiles: number; logFile: string }, chats: BenchChat[]): Promise<Monolith> {
  // Not under the services' prefix (chatroulette_bench_<ns>_): the commits per message count theirs alone.
  const database = `chatroulette_bench_monolith_${env.namespace}`;
  const proc = await startOwnProcess({
    args: ['--import', 'tsx', path.join(here, 'monolith-peer.ts')],
    cwd: env.cwd,
    env: { DATABASE_URL: env.databaseUrl, MONOLITH_DATABASE: database, JWT_SECRET: randomBytes(32).toString('hex'), PORT: '0' },
    openFiles: env.openFiles,
    ready: listening,
    readyTimeoutMs: 60_000,
    label: 'monolith-peer',
    logFile: env.logFile,
  });
  const stop = async () => {
    await proc.stop();
    await dropMonolithDatabase(env.databaseUrl, database).catch(() => undefined);
  };
  try {
    const port = Number(listening.exec(await proc.waitForLine(listening))![1]);
    const res = await fetch(`http://127.0.0.1:${port}/bench/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chats: chats.map((c) => ({ id: c.id, user_ids: c.users.map((u) => u.id) })) }),
    });
    if (res.status !== 200) throw new Error(`monolith seed: ${res.status} ${await res.text()}`);
    const { tokens } = (await res.json()) as { tokens: Record<string, string> };
    return {
      pid: proc.pid,
      port,
      chats: chats.map((c) => ({ id: c.id, users: c.users.map((u) => ({ ...u, token: tokens[u.id]! })) })),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
