import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api, createChat, openSocket, registerUser, sleep, startOwnPostgres, startStack, testScope,
  type OwnPostgres, type OwnService, type SocketClient, type Stack, type TestUser,
} from '@chatroulette/testing';
import { report, unlimitedSends } from './fault-kit.js';

// SIGTERM to every service process: the gateway closes its sockets with 1001, each exits 0 within 10 s,
// and a request in flight in the messages service (its PostgreSQL frozen for a moment) still completes.
const EXIT_WITHIN_MS = 10_000;

const scope = testScope('fault-graceful');
let pg: OwnPostgres;
let stack: Stack;
const services: Record<string, OwnService> = {};
let a: TestUser;
let b: TestUser;
const sockets: SocketClient[] = [];

beforeAll(async () => {
  pg = await startOwnPostgres();
  stack = await startStack({
    infra: scope,
    run: 'process',
    instances: [
      // The messages service on a PostgreSQL of its own, which the test can freeze to hold a request in flight.
      ['auth', { service: 'messages', env: { DATABASE_URL: pg.url, ...unlimitedSends } }, 'roulette'],
      'gateway',
    ],
  });
  for (const name of ['auth', 'messages', 'roulette', 'gateway'] as const) services[name] = stack.process(name);
  const gateway = services.gateway!;
  [a, b] = await Promise.all([registerUser(gateway.url, 'ann'), registerUser(gateway.url, 'bob')]);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.destroy();
  await pg?.stop();
});

async function terminate(s: OwnService): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const t0 = Date.now();
  s.kill('SIGTERM');
  const info = await s.waitExit(EXIT_WITHIN_MS);
  return { code: info.code, signal: info.signal, ms: Date.now() - t0 };
}

it('closes sockets with 1001, finishes the request in flight, and every process exits 0 within 10 s', async () => {
  const { gateway, messages, auth, roulette } = services as Record<string, OwnService>;
  const chatId = await createChat(gateway!.url, a, [b]);
  sockets.push(
    await openSocket(gateway!.url, { token: a.token, chat_id: chatId }),
    await openSocket(gateway!.url, { token: b.token, chat_id: chatId }),
    await openSocket(gateway!.url, { token: a.token }),
  );
  // Warm the messages service (token keys, pool) so the request below waits only on the frozen database.
  expect((await api(messages!.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'warm' } })).status).toBe(201);

  const gw = await terminate(gateway!);
  await Promise.all(sockets.map((s) => Promise.race([s.closed, sleep(2000)])));
  const closeCodes = sockets.map((s) => s.closedCode);

  // A send in flight (its database frozen for 1.5 s) when SIGTERM arrives: it completes with 201.
  const frozen = pg.pause(1500);
  await sleep(100);
  const inFlight = api(messages!.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'in flight' }, timeoutMs: 15_000, orStatus0: true });
  await sleep(200);
  const msg = await terminate(messages!);
  const answer = await inFlight;
  await frozen;

  const [au, ro] = await Promise.all([terminate(auth!), terminate(roulette!)]);
  report('graceful-shutdown', { sent: 1, received: answer.status === 201 ? 1 : 0, lost: answer.status === 201 ? 0 : 1, duplicated: 0, reordered: 0 }, {
    socket_close_codes: closeCodes.join('/'),
    in_flight_status: answer.status,
    gateway_exit: `${gw.code}@${gw.ms}ms`,
    messages_exit: `${msg.code}@${msg.ms}ms`,
    auth_exit: `${au.code}@${au.ms}ms`,
    roulette_exit: `${ro.code}@${ro.ms}ms`,
  });

  expect(closeCodes).toEqual([1001, 1001, 1001]);
  expect(answer.status).toBe(201);
  expect(answer.body).toMatchObject({ content: 'in flight', chat_id: chatId });
  for (const exit of [gw, msg, au, ro]) expect(exit).toMatchObject({ code: 0, signal: null });
  // The messages service waited for the frozen request before exiting.
  expect(msg.ms).toBeGreaterThanOrEqual(1000);
});
