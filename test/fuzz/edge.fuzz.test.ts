import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes, createSubjects, limits, messagesChatsMember, messageTypes } from '@chatroulette/contracts';
import { connectNats, drainNats, request, type NatsConnection } from '@chatroulette/nats';
import { api, openSocket, registerUser, startStack, testScope, type Instance, type Stack, type TestUser } from '@chatroulette/testing';
import { pino } from 'pino';
import { createRandom, type Random } from './prng.js';

/**
 * Bounded fuzzing of the public edge: thousands of random and malformed REST requests and socket
 * frames through the gateway. Never a 5xx, no crash, sockets answer with error frames and stay open
 * (but for the documented closes), and nothing a rejected send carried is stored.
 * Replay a failure with FUZZ_SEED=<the printed seed>.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const REST_CASES = Number(process.env.FUZZ_REST_CASES ?? 2000);
const FRAME_CASES = Number(process.env.FUZZ_FRAME_CASES ?? 1000);

const scope = testScope('fuzz-edge');
// Limits out of the way, so the inputs reach validation instead of a 429 (429 is accepted anyway).
const unlimited = {
  auth: { LOGIN_FREE_FAILURES: '1000000', LOGIN_FREE_FAILURES_PER_ADDRESS: '1000000' },
  messages: { RATE_MESSAGES_PER_SECOND: '1000000', RATE_MESSAGES_BURST: '1000000' },
  roulette: { RATE_SEARCHES_PER_MINUTE: '1000000', RATE_SKIPS_PER_MINUTE: '1000000' },
};
let stack: Stack;
let services: Instance[];
let gw: Instance;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let chatId: string;
let messageId: string;
let nc: NatsConnection;

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  stack = await startStack({ infra: scope, env: unlimited, instances: ['auth', 'messages', 'roulette', 'gateway'] });
  services = [stack.get('auth'), stack.get('messages'), stack.get('roulette')];
  gw = stack.get('gateway');
  [alice, bob, carol] = await Promise.all([registerUser(gw.url, 'fa'), registerUser(gw.url, 'fb'), registerUser(gw.url, 'fc')]);
  const chat = await api(gw.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  chatId = chat.body.id;
  const first = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content: 'the only message' } });
  expect(first.status).toBe(201);
  messageId = first.body.id;
  nc = await connectNats({ nats: scope.natsUrl, name: 'fuzz', log: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  if (nc) await drainNats(nc);
  await stack?.destroy();
});

interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const tokens = () => [alice.token, bob.token, carol.token, '', 'garbage', `${alice.token}x`, 'e30.e30.', alice.token.split('.').slice(0, 2).join('.') + '.'];

function randomId(r: Random): string {
  return r.pick([r.uuidLike(), messageId, chatId, alice.id, '', 'not-a-uuid', '..', '%2e%2e', '%00', r.string(12), '0'.repeat(300), '00000000-0000-0000-0000-000000000000']);
}

/** Percent-encodes most of the time; otherwise sends raw ASCII as is (a lone surrogate becomes %ED%A0%80). */
function encodePath(r: Random, s: string): string {
  const enc = (c: string) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80';
    }
  };
  return r.chance(0.7) ? [...s].map(enc).join('') : s.replace(/[^\x21-\x7e]/g, enc);
}

const routes: [string, (r: Random) => string][] = [
  ['POST', () => '/api/v1/auth/register'],
  ['POST', () => '/api/v1/auth/login'],
  ['GET', () => '/api/v1/auth/profile'],
  ['PUT', () => '/api/v1/auth/profile'],
  ['GET', (r) => `/api/v1/users/${encodePath(r, randomId(r))}/profile`],
  ['POST', () => '/api/v1/chats'],
  ['GET', (r) => `/api/v1/chats${r.chance(0.3) ? `?${r.string(20)}` : ''}`],
  ['GET', (r) => `/api/v1/chats/${encodePath(r, randomId(r))}`],
  ['GET', (r) => `/api/v1/chats/${encodePath(r, randomId(r))}/messages?limit=${encodePath(r, JSON.stringify(r.json()) ?? '')}&before=${encodePath(r, randomId(r))}`],
  // Random bodies may be valid: never sent to the watched chat this way (its sends are all invalid, below).
  ['POST', (r) => `/api/v1/chats/${encodePath(r, randomId(r).replace(chatId, r.uuidLike()))}/messages`],
  ['PUT', (r) => `/api/v1/messages/${encodePath(r, r.uuidLike())}/edit`],
  ['DELETE', (r) => `/api/v1/messages/${encodePath(r, r.chance(0.5) ? r.uuidLike() : randomId(r).replace(messageId, r.uuidLike()))}`],
  ['PUT', (r) => `/api/v1/messages/${encodePath(r, r.uuidLike())}/read`],
  ['GET', (r) => `/api/v1/messages/${encodePath(r, randomId(r))}/status`],
  ['POST', (r) => `/api/v1/messages/${encodePath(r, r.uuidLike())}/like`],
  ['DELETE', (r) => `/api/v1/messages/${encodePath(r, r.uuidLike())}/like`],
  ['GET', (r) => `/api/v1/messages/${encodePath(r, randomId(r))}/likes`],
  ['POST', () => '/api/v1/chatroulette/search'],
  ['GET', () => '/api/v1/chatroulette/find'],
  ['DELETE', () => '/api/v1/chatroulette/search'],
  ['GET', () => '/api/v1/chatroulette/status'],
  ['POST', (r) => `/api/v1/chatroulette/${encodePath(r, r.uuidLike())}/skip`],
  ['POST', (r) => `/api/v1/chatroulette/${encodePath(r, r.uuidLike())}/save`],
  ['GET', (r) => `/${r.pick(['api', 'api/v1', 'api/v2', 'healthz/x', '.well-known', 'api/v1/ws/x'])}/${encodePath(r, r.string(30))}`],
  [
    'PATCH',
    (r) => `/api/v1/${r.pick(['chats', 'messages', 'auth', 'users', 'chatroulette'])}/${encodePath(r, randomId(r))}/${encodePath(r, r.string(10))}`,
  ],
];

/** A body that is never a valid message send (so nothing may be stored from it). */
function invalidSendBody(r: Random): string {
  const valid = { type: 'text', content: 'fuzz should never be stored' };
  switch (r.int(0, 9)) {
    case 0:
      return JSON.stringify(r.pick([null, 1, 'text', [], [valid], true, '']));
    case 1:
      return JSON.stringify({ ...valid, type: r.pick(['', 'TEXT', 'txt', 'audio', null, 1, [], {}, r.string(10) + '!']) });
    case 2:
      return JSON.stringify({ type: 'text', content: r.pick([1, null, [], {}, true, '', '   ', '\n\t', 'x'.repeat(limits.maxContentLength + 1)]) });
    case 3:
      return JSON.stringify({ type: r.pick(messageTypes.filter((t) => t !== 'text')), media_url: r.pick([undefined, '', ' ', 1, null, 'u'.repeat(limits.maxMediaUrlLength + 1)]) });
    case 4:
      return JSON.stringify({ ...valid, reply_to_id: r.pick(['nope', 1, {}, [], r.string(10) + 'x', 'ffffffff-ffff-ffff-ffff-fffffffffffff']) });
    case 5: {
      const text = JSON.stringify({ ...valid, content: r.string(200) });
      return text.slice(0, r.int(0, text.length - 1));
    }
    case 6:
      return '{"type":"text","content":' + '['.repeat(r.int(100, 20_000));
    case 7:
      return JSON.stringify({ type: 'text', content: { $gt: '' } });
    case 8:
      return '\ufeff' + r.string(50);
    default:
      return JSON.stringify({ ...valid, content: 'y'.repeat(r.int(limits.maxContentLength + 1, 20_000)) });
  }
}

function randomBody(r: Random): string | Buffer | undefined {
  switch (r.int(0, 9)) {
    case 0:
      return undefined;
    case 1:
    case 2:
    case 3:
      return JSON.stringify(r.json());
    case 4: {
      const text = JSON.stringify(r.json());
      return text.slice(0, r.int(0, Math.max(0, text.length - 1)));
    }
    case 5: {
      const depth = r.int(10, 30_000);
      return r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    }
    case 6:
      return JSON.stringify({ username: r.string(300), password: r.string(2000), content: 'z'.repeat(r.int(0, 70_000)) });
    case 7:
      return Buffer.from(Array.from({ length: r.int(0, 200) }, () => r.int(0, 255)));
    case 8:
      return r.pick(['{"__proto__":{"polluted":1},"type":"text"}', '{"constructor":{"prototype":{"x":1}}}', 'null', '""', '{}', '[]', '1e999', '-0', '"\\ud800"']);
    default:
      return JSON.stringify({ type: 'text', content: r.string(r.int(0, 5000)), participant_ids: [r.uuidLike()], interests: [r.string(40)] });
  }
}

function randomCase(r: Random): Case {
  const headers: Record<string, string> = {};
  const token = r.pick(tokens());
  if (token || r.chance(0.2)) headers.authorization = r.pick([`Bearer ${token}`, `bearer ${token}`, token, `Basic ${token}`, `Bearer  ${token} x`]);
  // Sends to the watched chat: always as one that could write there, always invalid.
  if (r.chance(0.25)) {
    headers.authorization = `Bearer ${r.pick([alice.token, bob.token, carol.token])}`;
    headers['content-type'] = r.pick(['application/json', 'application/json; charset=utf-8']);
    return { method: 'POST', path: `/api/v1/chats/${chatId}/messages`, headers, body: invalidSendBody(r) };
  }
  const [method, path] = r.pick(routes);
  const body = method === 'GET' ? (r.chance(0.1) ? randomBody(r) : undefined) : randomBody(r);
  if (body !== undefined || r.chance(0.1)) {
    headers['content-type'] = r.pick([
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      '',
      // Printable only: fetch itself refuses control characters in a header.
      r.string(20).replace(/[^\x20-\x7e]/g, '').trim(),
    ]);
    if (headers['content-type'] === '') delete headers['content-type'];
  }
  const finalMethod = r.chance(0.05) ? r.pick(['OPTIONS', 'PATCH', 'PUT', 'HEAD']) : method;
  return { method: finalMethod, path: path(r), headers, body: finalMethod === 'GET' || finalMethod === 'HEAD' ? undefined : body };
}

/** A valid send to the watched chat, as a rejected one would look if the validation let it through. */
async function chatState() {
  const history = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages?limit=100`, { token: alice.token });
  expect(history.status).toBe(200);
  const subjects = createSubjects(scope.namespace);
  const member = await request(nc, subjects.messagesChatsMember, messagesChatsMember, { chat_id: chatId, user_id: alice.id });
  return { history: history.body, lastSeq: member.last_seq };
}

describe('fuzz', () => {
  it(`REST: ${REST_CASES} random and malformed requests through the gateway, never a 5xx, nothing stored from a rejected send`, async () => {
    const before = await chatState();
    expect(before.history).toHaveLength(1);
    const r = createRandom(SEED);
    const cases = Array.from({ length: REST_CASES }, () => randomCase(r));
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        let status: number;
        let text: string;
        try {
          const res = await fetch(`${gw.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
          status = res.status;
          text = await res.text();
        } catch (e) {
          throw new Error(`case ${i} (seed ${SEED}) ${c.method} ${c.path} failed at the transport: ${(e as Error).message}`);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const what = `case ${i} (seed ${SEED}) ${c.method} ${c.path.slice(0, 120)} ${String(c.body ?? '').slice(0, 120)} -> ${status} ${text.slice(0, 200)}`;
        expect(status, what).toBeLessThan(500);
        if (status >= 400 && c.method !== 'HEAD') {
          // The contract's error shape; every error names its request (request_id).
          const { request_id: requestId, ...body } = JSON.parse(text);
          expect(body, what).toEqual({ error: expect.any(String), code: expect.any(String) });
          if (requestId !== undefined) expect(requestId, what).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    console.log(`fuzz REST statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);

    // Every rejected send left the chat as it was: same history, same last seq.
    const after = await chatState();
    expect(after).toEqual(before);

    // Still alive: health everywhere and a valid request works.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    for (const s of services) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await api(gw.url, 'GET', '/api/v1/chatroulette/status', { token: carol.token })).status).toBe(200);
    expect((await api(gw.url, 'GET', '/api/v1/auth/profile', { token: carol.token })).status).toBe(200);
    const ok = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: bob.token, body: { type: 'text', content: 'valid after fuzz' } });
    expect(ok.status).toBe(201);
    expect((await chatState()).lastSeq).toBe(before.lastSeq + 1);
  }, 120_000);

  it(`socket: ${FRAME_CASES} random frames, error frames for each and the socket stays (but for the documented closes)`, async () => {
    const r = createRandom(SEED ^ 0x5bd1e995);
    const before = await chatState();
    let socket = await openFuzzSocket(gw.url, alice.token, chatId);
    const closes = new Map<number, number>();
    let sent = 0;
    while (sent < FRAME_CASES) {
      // A batch of frames, then a ping: every frame has its answer before the pong.
      const batch = r.int(1, 20);
      let expectedErrors = 0;
      let expectedClose: number | null = null;
      for (let i = 0; i < batch && sent < FRAME_CASES && expectedClose === null; i++, sent++) {
        const frame = randomFrame(r);
        socket.ws.send(frame.data, { binary: frame.binary });
        if (frame.close) expectedClose = frame.close;
        else expectedErrors++;
      }
      if (expectedClose !== null) {
        const closed = await socket.closed;
        expect(closed.code, `seed ${SEED}`).toBe(expectedClose);
        closes.set(closed.code, (closes.get(closed.code) ?? 0) + 1);
        socket = await openFuzzSocket(gw.url, alice.token, chatId);
        continue;
      }
      const errorsBefore = socket.errors;
      socket.ws.send('{"type":"ping"}');
      await socket.pong();
      // Auth frames are answered after a token check, possibly after the pong: wait a little for those.
      for (let wait = 0; socket.errors - errorsBefore < expectedErrors && wait < 100; wait++) await new Promise((res) => setTimeout(res, 20));
      expect(socket.errors - errorsBefore, `seed ${SEED}: error frames for a batch of ${expectedErrors}`).toBe(expectedErrors);
      expect(socket.closedCode, `seed ${SEED}`).toBeUndefined();
    }
    console.log(`fuzz socket closes: ${JSON.stringify(Object.fromEntries(closes))}`);
    socket.ws.close();
    // No frame carried a chat event: nothing was stored.
    expect(await chatState()).toEqual(before);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe('NUL characters', () => {
  // PostgreSQL text cannot hold U+0000: found by this fuzzing as 500s, now 400 everywhere.
  it('are refused with 400 in every otherwise valid text field, and nothing is stored', async () => {
    const other = await api(gw.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [carol.id] } });
    expect(other.status).toBe(201);
    const own = await api(gw.url, 'POST', `/api/v1/chats/${other.body.id}/messages`, { token: alice.token, body: { type: 'text', content: 'ok' } });
    expect(own.status).toBe(201);
    const N = 'x\u0000y';
    const probes: [string, string, unknown][] = [
      ['POST', '/api/v1/auth/register', { username: N, password: 'password123' }],
      ['PUT', '/api/v1/auth/profile', { bio: N }],
      ['PUT', '/api/v1/auth/profile', { display_name: N }],
      ['PUT', '/api/v1/auth/profile', { avatar_url: `https://example.com/${N}` }],
      ['POST', `/api/v1/chats/${other.body.id}/messages`, { type: 'text', content: N }],
      ['POST', `/api/v1/chats/${other.body.id}/messages`, { type: 'image', media_url: `https://example.com/${N}` }],
      ['PUT', `/api/v1/messages/${own.body.id}/edit`, { content: N }],
      ['POST', '/api/v1/chatroulette/search', { interests: [N] }],
    ];
    // A fresh user for the search: one already searching would get its current state back.
    const dave = await registerUser(gw.url, 'fd');
    for (const [method, path, body] of probes) {
      const res = await api(gw.url, method, path, { token: (path.includes('chatroulette') ? dave : alice).token, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.code).toBe('bad_request');
    }
    const login = await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username: N, password: N } });
    expect(login.status).toBe(401);
    const history = await api(gw.url, 'GET', `/api/v1/chats/${other.body.id}/messages`, { token: alice.token });
    expect(history.body.map((m: { content: string }) => m.content)).toEqual(['ok']);
  });
});

interface FuzzFrame {
  data: string | Buffer;
  binary: boolean;
  /** The documented close this frame must cause, if any. */
  close?: number;
}

function randomFrame(r: Random): FuzzFrame {
  switch (r.int(0, 9)) {
    case 0:
      return { data: Buffer.from(Array.from({ length: r.int(0, 300) }, () => r.int(0, 255))), binary: true };
    case 1:
    case 2:
      return { data: JSON.stringify(r.json()), binary: false };
    case 3:
      return { data: JSON.stringify({ type: r.pick(['auth', 'pong', 'subscribe', 'new_message', '', 'AUTH', 1, null]), token: r.pick([r.string(30), 1, null, '', 'x'.repeat(9000), bob.token + 'x', 'e30.e30.e30']) }), binary: false };
    case 4:
      return { data: JSON.stringify({ type: 'auth', token: r.pick(['garbage', 'e30.e30.', carol.token.slice(0, -3) + 'abc', r.string(100) || 'x']) }), binary: false };
    case 5:
      // Over the 16 KiB frame limit (under uWS's own 64 KiB cap): closed with 1009.
      return { data: 'x'.repeat(r.int(limits.maxSocketFrameBytes + 1, 60_000)), binary: r.chance(0.3), close: closeCodes.tooLarge };
    case 6:
      return { data: r.string(200), binary: false };
    case 7: {
      const text = JSON.stringify({ type: 'auth', token: r.string(50) });
      return { data: text.slice(0, r.int(0, text.length - 1)), binary: false };
    }
    case 8:
      return { data: '['.repeat(r.int(10, 16_000)), binary: false };
    default:
      return { data: JSON.stringify({ type: 'ping', extra: r.json() }).replace('"ping"', r.pick(['"ping "', '"Ping"', 'null', '"pong"'])), binary: false };
  }
}

/** A fuzzing socket: counts the error frames; a pong answers pong(); any other frame but a chat event fails. */
async function openFuzzSocket(gateway: string, token: string, chat: string) {
  const socket = await openSocket(gateway, { token, chat_id: chat });
  const state = {
    ws: socket.ws,
    errors: 0,
    chatEvents: 0,
    closed: socket.closed,
    get closedCode() {
      return socket.closedCode;
    },
    pong(): Promise<void> {
      return socket.next((f) => f.type === 'pong', 5000).then(
        () => undefined,
        (e: Error) => Promise.reject(new Error(`no pong (seed ${SEED}); closed ${socket.closedCode}: ${e.message}`)),
      );
    },
  };
  socket.ws.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    const f = JSON.parse(String(data));
    if (f.type === 'error') state.errors++;
    else if (typeof f.seq === 'number') state.chatEvents++;
    else if (f.type !== 'pong') throw new Error(`unexpected frame (seed ${SEED}): ${String(data).slice(0, 200)}`);
  });
  return state;
}
