import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';
import { ConfigError } from '@chatroulette/config';
import { createSubjects, natsInboxPrefix, type NatsUser } from '@chatroulette/contracts';
import { connectNats, drainNats } from '@chatroulette/nats';
import {
  api,
  createChat,
  openSocket,
  registerUser,
  startOwnNatsWithUsers,
  startStack,
  testScope,
  type Instance,
  type OwnNatsWithUsers,
  type Stack,
  waitUntil,
} from '@chatroulette/testing';

/**
 * The shipped deploy/nats/authorization.conf on a nats-server of this file: the stack runs with each
 * service on its own user, and nobody gets further than the allow-lists say.
 */
const log = pino({ level: 'silent' });
const subjects = createSubjects('');
let nats: OwnNatsWithUsers;
let stack: Stack;
let gw: Instance;
const opened: NatsConnection[] = [];

beforeAll(async () => {
  nats = await startOwnNatsWithUsers();
  const { users } = nats;
  stack = await startStack({
    // The server is this file's alone: the deployment's subjects, without a namespace, are the ones the config names.
    infra: { ...testScope('nats-permissions'), natsUrl: nats.url, namespace: '', natsLogins: { auth: users.auth, messages: users.messages, roulette: users.roulette, gateway: users.gateway } },
    env: { roulette: { ROULETTE_MATCHER_LOOP_MS: '100' } },
    instances: ['auth', 'messages', 'roulette', 'gateway'],
  });
  gw = stack.get('gateway');
});
afterAll(async () => {
  for (const nc of opened) await drainNats(nc);
  await stack?.destroy();
  await nats?.stop();
});

/** A connection as one service's user, replies on its own inbox; `violation` is the first permissions error the server sends it. */
async function as(user: NatsUser): Promise<{ nc: NatsConnection; violation: Promise<{ operation?: string; subject?: string }> }> {
  const nc = await connect({ servers: nats.url, user, pass: nats.users[user].password, inboxPrefix: natsInboxPrefix(user), reconnect: false });
  opened.push(nc);
  const violation = (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'error' && s.data === 'PERMISSIONS_VIOLATION') return { ...(s as { permissionContext?: { operation: string; subject: string } }).permissionContext };
    }
    return {};
  })();
  return { nc, violation };
}

/** The server's permission violation lines (the stack's tests run first). */
const violations = () => nats.output.filter((l) => /Violation/i.test(l));

describe('a stack on the shipped nats-server config, each service its own user', () => {
  it('registers, creates a chat, sends a message and delivers it (and its delivery report) on both sockets', async () => {
    const [a, b] = await Promise.all([registerUser(gw.url, 'pa'), registerUser(gw.url, 'pb')]);
    const chatId = await createChat(gw.url, a, [b]);
    const [sa, sb] = await Promise.all([openSocket(gw.url, { token: a.token, chat_id: chatId }), openSocket(gw.url, { token: b.token, chat_id: chatId })]);
    const sent = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'over a locked NATS' } });
    expect(sent.status).toBe(201);
    for (const s of [sa, sb]) {
      const [frame] = await s.waitFor((f) => f.type === 'new_message');
      expect(frame).toMatchObject({ chat_id: chatId, seq: 1, payload: { id: sent.body.id, content: 'over a locked NATS' } });
    }
    // b's gateway reports the delivery (gateway -> messages), messages publishes the status update.
    const [delivered] = await sa.waitFor((f) => f.type === 'message_status_update' && f.payload.status === 'delivered');
    expect(delivered.payload.message_id).toBe(sent.body.id);
    sa.close();
    sb.close();
    expect(violations()).toEqual([]);
  });

  it('matches two users in chatroulette (roulette -> messages, auth, user events)', async () => {
    const [a, b] = await Promise.all([registerUser(gw.url, 'ra'), registerUser(gw.url, 'rb')]);
    const lobby = await openSocket(gw.url, { token: a.token });
    expect((await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: a.token })).status).toBe(202);
    const second = await api(gw.url, 'GET', '/api/v1/chatroulette/find', { token: b.token });
    expect(second.body.status).toBe('matched');
    const [match] = await lobby.waitFor((f) => f.type === 'chatroulette_match');
    expect(match).toMatchObject({ chat_id: second.body.chat_id, payload: { user: { id: b.id } } });
    lobby.close();
    expect(violations()).toEqual([]);
  });

  it('relays typing and a WebRTC signal between sockets (gateway to gateway on live.>)', async () => {
    const [a, b] = await Promise.all([registerUser(gw.url, 'la'), registerUser(gw.url, 'lb')]);
    const chatId = await createChat(gw.url, a, [b]);
    const [sa, sb] = await Promise.all([openSocket(gw.url, { token: a.token, chat_id: chatId }), openSocket(gw.url, { token: b.token, chat_id: chatId })]);
    sa.send({ type: 'typing' });
    sa.send({ type: 'rtc_signal', payload: { kind: 'offer', data: { sdp: 'v=0' } } });
    const [typing] = await sb.waitFor((f) => f.type === 'typing');
    const [signal] = await sb.waitFor((f) => f.type === 'rtc_signal');
    expect(typing.payload).toMatchObject({ user_id: a.id, is_typing: true });
    expect(signal.payload).toEqual({ from: a.id, kind: 'offer', data: { sdp: 'v=0' } });
    sa.close();
    sb.close();
  });

  it('blocks and reports (auth -> BLOCK_EVENTS -> the durable consumers of messages and roulette; roulette -> auth and messages)', async () => {
    const [a, b, c] = await Promise.all([registerUser(gw.url, 'ba'), registerUser(gw.url, 'bb'), registerUser(gw.url, 'bc')]);
    const chatId = await createChat(gw.url, a, [c]);
    // Roulette's consumer ends a live match of the pair.
    expect((await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: a.token })).status).toBe(202);
    const matched = await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: c.token });
    expect(matched.body.status).toBe('matched');
    const inChat = await openSocket(gw.url, { token: a.token, chat_id: matched.body.chat_id });
    expect((await api(gw.url, 'POST', `/api/v1/users/${a.id}/block`, { token: c.token })).status).toBe(200);
    await inChat.waitFor((f) => f.type === 'chatroulette_left');
    // Messages' consumer refuses their sends.
    const send = () => api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'x' } });
    await waitUntil(async () => ((await send()).status === 403 ? true : undefined), { what: 'messages has the block', timeoutMs: 5000 });
    // A report takes the evidence from messages and blocks through auth.
    expect((await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: a.token })).status).toBe(202);
    const next = await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: b.token });
    expect(next.body.status).toBe('matched');
    expect((await api(gw.url, 'POST', `/api/v1/chatroulette/${next.body.chat_id}/report`, { token: b.token, body: { reason: 'spam' } })).status).toBe(201);
    expect((await api(gw.url, 'GET', '/api/v1/users/blocks', { token: b.token })).body.blocks).toMatchObject([{ user_id: a.id }]);
    inChat.close();
  });

  it("lets the gateway read USER_EVENTS back as its catch-up after a reconnect does (an ordered consumer from a time)", async () => {
    const { nc } = await as('gateway');
    const consumer = await nc.jetstream().consumers.get(subjects.userEventsStream, { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(Date.now() - 60_000).toISOString() });
    const read: string[] = [];
    for await (const m of await consumer.fetch({ max_messages: 100, expires: 1000 })) read.push(m.subject);
    await consumer.delete();
    // The match of the test before: one event for each of the two users.
    expect(read.filter((s) => s.endsWith('.chatroulette_match')).length).toBeGreaterThanOrEqual(2);
    expect(violations()).toEqual([]);
  });

  it('gives a service run as a child process its own user too', async () => {
    const child = await stack.start({ service: 'auth', run: 'process' });
    const ready = await api(child.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.nats).toMatchObject({ status: 'ok' });
    await child.stop();
    expect(violations()).toEqual([]);
  });
});

describe('who may not', () => {
  it('refuses an anonymous client and a wrong password, and says which variables to look at', async () => {
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    await expect(connect({ servers: nats.url, user: 'gateway', pass: 'guess', reconnect: false })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    const refused = connectNats({ nats: nats.url, name: 'anonymous', log });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/refused the connection without credentials \(set NATS_USER\/NATS_PASSWORD/);
  });

  it('drops a chat event the gateway user publishes: a permissions violation, seen by no subscriber nor socket', async () => {
    const [a, b] = await Promise.all([registerUser(gw.url, 'fa'), registerUser(gw.url, 'fb')]);
    const chatId = await createChat(gw.url, a, [b]);
    const socket = await openSocket(gw.url, { token: b.token, chat_id: chatId });
    const watcher = await as('gateway');
    const seen: string[] = [];
    watcher.nc.subscribe(subjects.chatEvents(chatId), { callback: (_e, m) => seen.push(m.subject) });
    await watcher.nc.flush();

    const forger = await as('gateway');
    const forged = { type: 'new_message', chat_id: chatId, seq: 1, payload: { id: 'forged', content: 'forged' } };
    forger.nc.publish(subjects.chatEvent(chatId, 'new_message'), JSON.stringify(forged));
    expect(await forger.violation).toEqual({ operation: 'publish', subject: subjects.chatEvent(chatId, 'new_message') });

    // A real message after it: the first new_message anyone sees is the real one.
    const sent = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'real' } });
    const [first] = await socket.waitFor((f) => f.type === 'new_message');
    expect(first.payload.id).toBe(sent.body.id);
    expect(seen[0]).toBe(subjects.chatEvent(chatId, 'new_message'));
    expect(socket.frames.filter((f) => f.payload?.id === 'forged')).toEqual([]);
    const logged = (l: string) => /Publish Violation - User "gateway"/.test(l) && l.includes(subjects.chatEvent(chatId, 'new_message'));
    await waitUntil(async () => nats.output.some(logged) || undefined, { what: 'the server logging the violation', timeoutMs: 5000 });
    socket.close();
  });

  it.each<[NatsUser, 'publish' | 'subscribe', string]>([
    ['gateway', 'publish', subjects.userEvent('u1', 'chatroulette_match')],
    ['gateway', 'publish', subjects.userPresence('u1')],
    ['gateway', 'publish', '$JS.API.STREAM.DELETE.CHAT_EVENTS'],
    ['gateway', 'publish', subjects.userBlock('u1', 'u2')],
    ['messages', 'publish', subjects.userBlock('u1', 'u2')],
    ['roulette', 'publish', subjects.userBlock('u1', 'u2')],
    ['roulette', 'publish', '$JS.API.CONSUMER.DURABLE.CREATE.BLOCK_EVENTS.messages_blocks'],
    ['gateway', 'subscribe', subjects.authUsersGet],
    ['gateway', 'subscribe', `${natsInboxPrefix('auth')}.>`],
    ['gateway', 'subscribe', '_INBOX.>'],
    ['messages', 'publish', subjects.liveFrame('c1', 'rtc_signal')],
    ['auth', 'subscribe', subjects.allLiveFrames],
    ['roulette', 'publish', subjects.chatEvent('c1', 'new_message')],
    ['messages', 'publish', subjects.userEvent('u1', 'chatroulette_match')],
    ['messages', 'publish', subjects.presence('u1', 'online')],
    ['auth', 'publish', subjects.chatEvent('c1', 'chatroulette_left')],
    ['auth', 'publish', subjects.messagesChatsCreate],
    ['media', 'publish', subjects.chatEvent('c1', 'new_message')],
    ['media', 'publish', '$JS.API.STREAM.DELETE.USER_EVENTS'],
  ])('%s may not %s %s', async (user, verb, subject) => {
    const { nc, violation } = await as(user);
    if (verb === 'publish') nc.publish(subject, 'x');
    else nc.subscribe(subject);
    expect(await violation).toEqual({ operation: verb === 'publish' ? 'publish' : 'subscription', subject });
  });
});

describe('the media user (for services/media)', () => {
  it('keeps, reads and deletes objects in its bucket, logged in by credentials in the URL', async () => {
    const url = nats.url.replace('nats://', `nats://media:${nats.users.media.password}@`);
    const nc = await connectNats({ nats: url, user: 'media', name: 'media-test', log });
    const errors: unknown[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') errors.push(s);
    })();
    try {
      const os = await nc.jetstream().views.os(subjects.mediaBucket);
      const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
      await os.putBlob({ name: 'u1/f1' }, bytes);
      expect(await os.getBlob('u1/f1')).toEqual(bytes);
      expect((await os.list()).map((o) => o.name)).toEqual(['u1/f1']);
      expect(await os.delete('u1/f1')).toMatchObject({ success: true });
      expect(await os.getBlob('u1/f1')).toBeNull();
    } finally {
      await drainNats(nc);
    }
    // Every call answered; not even a flow-control reply was refused on the way.
    expect(errors).toEqual([]);
  });
});

describe('NATS_URL with several servers', () => {
  it('connects through the one that answers', async () => {
    const url = `nats://127.0.0.1:9,nats://roulette:${nats.users.roulette.password}@127.0.0.1:${nats.port}`;
    const nc = await connectNats({ nats: url, user: 'roulette', name: 'two-servers', log });
    expect(nc.getServer()).toBe(`127.0.0.1:${nats.port}`);
    await drainNats(nc);
  });
});
