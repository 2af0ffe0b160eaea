import { afterAll, beforeAll, expect, it } from 'vitest';
import { sleep, startStack, testScope, type OwnService, type Stack } from '@chatroulette/testing';
import type { Client, MessageObject } from '../src/index.js';
import { AppView, openView, signedIn } from './helpers.js';

// Two people talk through the client while their gateway (a child process on a fixed port) is
// restarted twice: once gracefully (SIGTERM, close 1001), once killed (SIGKILL, the link just breaks).
const scope = testScope('client-gateway-restart');
let stack: Stack;
let gateway: OwnService;
const views: AppView[] = [];

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { messages: { RATE_MESSAGES_PER_SECOND: '1000', RATE_MESSAGES_BURST: '1000' } },
    instances: [['auth', 'messages'], { service: 'gateway', run: 'process' }],
  });
  gateway = stack.process('gateway');
});
afterAll(async () => {
  for (const v of views) v.socket.close();
  await stack?.destroy();
});

/** Every message of the chat, oldest first. */
async function history(client: Client, chatId: string): Promise<MessageObject[]> {
  const pages: MessageObject[][] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await client.chats.messages(chatId, { limit: 100, offset });
    pages.unshift(page);
    if (page.length < 100) return pages.flat();
  }
}

it('loses and doubles no message at the app across a graceful restart and a kill of the gateway mid-conversation', async () => {
  const a = await signedIn(gateway.url, 'ann');
  const b = await signedIn(gateway.url, 'bob');
  const chatId = (await a.client.chats.create({ participant_ids: [b.user.id] })).id;
  const [av, bv] = [await openView(a.client, chatId, { retryForMs: 60_000 }), await openView(b.client, chatId, { retryForMs: 60_000 })];
  views.push(av, bv);

  // Each talks in turn with a short pause; a send during an outage waits and is retried by the client.
  const sent: MessageObject[] = [];
  let talking = true;
  const talk = async (view: AppView, who: string) => {
    for (let i = 0; talking; i++) {
      sent.push(await view.socket.send({ type: 'text', content: `${who} ${i}` }));
      await sleep(25);
    }
  };
  const talkers = [talk(av, 'ann'), talk(bv, 'bob')];
  const received = () => Math.min(av.messages().length, bv.messages().length);
  const moreThan = async (n: number) => av.until(`both see more than ${n} messages`, () => received() > n, 60_000);

  await moreThan(20);
  await gateway.restart();
  await moreThan(received() + 20);
  gateway.kill('SIGKILL');
  await gateway.waitExit(10_000);
  await gateway.restart();
  await moreThan(received() + 20);
  talking = false;
  await Promise.all(talkers);

  const all = await history(a.client, chatId);
  const last = (await a.client.chats.get(chatId)).last_seq;
  await Promise.all([av, bv].map((v) => v.until(`seq ${last}`, () => v.socket.lastSeq === last, 30_000)));
  const ids = all.map((m) => m.id);
  process.stdout.write(
    `[client:gateway-restart] sent=${sent.length} stored=${ids.length} ann_got=${av.messages().length} bob_got=${bv.messages().length} ` +
      `last_seq=${last} reconnects=${av.states.filter((s) => s === 'reconnecting').length}/${bv.states.filter((s) => s === 'reconnecting').length} ` +
      `recovered=${av.recovered.length}/${bv.recovered.length}\n`,
  );

  // Every send resolved once, with a message of its own, and the history holds exactly those.
  expect(new Set(sent.map((m) => m.id)).size).toBe(sent.length);
  expect([...ids].sort()).toEqual(sent.map((m) => m.id).sort());
  for (const v of [av, bv]) {
    // Each app got every message once, in the history's order, and every event seq once.
    expect(v.messages().map((m) => m.id)).toEqual(ids);
    expect(v.seqs()).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(v.states.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    expect(v.recovered.length).toBeGreaterThanOrEqual(2);
    expect(v.resets).toEqual([]);
    expect(v.socket.state).toBe('open');
  }
}, 180_000);
