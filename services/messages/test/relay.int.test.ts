import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createService as createAuth } from '@chatroulette/auth';
import { createSubjects } from '@chatroulette/contracts';
import { api, registerUser, serviceEnv, sleep, testScope, type TestUser } from '@chatroulette/testing';
import { authConfig, collect } from './helpers.js';

const scope = testScope('messages-relay');
const subjects = createSubjects(scope.namespace);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.join(root, 'services/messages/src/main.ts');

let auth: ReturnType<typeof createAuth>;
let authBase: string;
let nc: NatsConnection;
const children: ChildProcess[] = [];

/** Runs the service as its own process, as `npm start` would, and waits for its port. */
async function spawnMessages(env: Record<string, string> = {}) {
  const child = spawn(tsx, [main], {
    cwd: root,
    env: {
      ...process.env,
      ...serviceEnv(scope, 'messages', { LOG_LEVEL: 'info', ...env }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no port in time: ${buffer}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = buffer.match(/"port":(\d+)[^\n]*"msg":"messages service listening"/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (buffer += chunk.toString()));
    void exited.then((code) => reject(new Error(`exited with ${code}: ${buffer}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

beforeAll(async () => {
  auth = createAuth(authConfig(scope));
  authBase = `http://127.0.0.1:${(await auth.start()).port}`;
  nc = await connect({ servers: scope.natsUrl });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : undefined)));
  await nc?.drain();
  await auth?.destroy();
});

describe('the outbox relay', () => {
  it('publishes, exactly once, an event whose publish a crash skipped', async () => {
    const alice: TestUser = await registerUser(authBase);
    const bob: TestUser = await registerUser(authBase);

    const faulty = await spawnMessages({ FAULT_EXIT_AFTER_COMMIT: '1' });
    const chat = await api(faulty.base, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
    expect(chat.status).toBe(201);
    const chatId: string = chat.body.id;
    const events = await collect(nc, subjects.chatEvents(chatId));

    // The process dies between the commit and the publish: no answer, no event.
    await expect(
      api(faulty.base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content: 'survivor' } }),
    ).rejects.toThrow();
    expect(await faulty.exited).toBe(137);
    await sleep(1500);
    expect(events.seen).toHaveLength(0);

    const healthy = await spawnMessages();
    const seen = await events.waitFor(1, 10_000);
    expect(seen[0]!.frame).toMatchObject({ type: 'new_message', chat_id: chatId, seq: 1, payload: { content: 'survivor', user_id: alice.id } });
    expect(seen[0]!.headers).toMatchObject({ 'Chat-Seq': '1', 'Msg-Author': alice.id, 'Nats-Msg-Id': `${chatId}:1` });
    await sleep(1500);
    expect(events.seen).toHaveLength(1);

    const history = await api(healthy.base, 'GET', `/api/v1/chats/${chatId}/messages`, { token: bob.token });
    expect(history.body).toEqual([seen[0]!.frame.payload]);
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(subjects.chatEventsStream);
    expect(info.state.messages).toBe(1);

    // A live send on the restarted process continues the sequence.
    const next = await api(healthy.base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: bob.token, body: { type: 'text', content: 'next' } });
    expect(next.status).toBe(201);
    await events.waitFor(2);
    expect(events.seen[1]!.frame.seq).toBe(2);

    healthy.child.kill('SIGTERM');
    expect(await healthy.exited).toBe(0);
  });
});
