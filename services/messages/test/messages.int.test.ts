import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('messages-rest');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let base: string;
let nc: NatsConnection;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let chatId: string;
let published: Awaited<ReturnType<typeof collectEvents>>;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const messageKeys = [
  'id', 'chat_id', 'user_id', 'type', 'content', 'media_url', 'status', 'is_edited', 'edited_at',
  'read_at', 'read_by', 'likes_count', 'liked_by', 'liked_at', 'created_at', 'user',
].sort();

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages'] });
  base = stack.get('messages').url;
  nc = await connect({ servers: scope.natsUrl });
  const auth = stack.get('auth').url;
  [alice, bob, carol] = await Promise.all([registerUser(auth), registerUser(auth), registerUser(auth)]);
  const chat = await api(base, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  chatId = chat.body.id;
  published = await collectEvents(nc, subjects.chatEvents(chatId));
});
afterAll(async () => {
  await nc?.drain();
  await stack?.destroy();
});

const send = (user: TestUser, body: unknown, chat = chatId) =>
  api(base, 'POST', `/api/v1/chats/${chat}/messages`, { token: user.token, body });
const onMessage = (user: TestUser, method: string, id: string, suffix = '', body?: unknown) =>
  api(base, method, `/api/v1/messages/${id}${suffix}`, { token: user.token, body });
const history = (user: TestUser, query = '') => api(base, 'GET', `/api/v1/chats/${chatId}/messages${query}`, { token: user.token });

/** No further event arrives during a quiet period. */
async function waitUntil(check: () => boolean, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(20);
  }
}

async function expectNoNewEvents(count: number) {
  await sleep(400);
  expect(published.events.length).toBe(count);
}

describe('the six chat events, frame by frame, with contiguous seqs', () => {
  let messageId: string;
  let sent: any;

  it('new_message: 201 with the contract message object, and the same object in the frame', async () => {
    const res = await send(alice, { type: 'text', content: 'Hello!' });
    expect(res.status).toBe(201);
    sent = res.body;
    messageId = sent.id;
    expect(Object.keys(sent).sort()).toEqual(messageKeys);
    expect(sent).toMatchObject({
      chat_id: chatId, user_id: alice.id, type: 'text', content: 'Hello!', media_url: '', status: 'sent',
      is_edited: false, edited_at: null, read_at: null, read_by: [], likes_count: 0, liked_by: [], liked_at: null,
      user: { id: alice.id, username: alice.username },
    });
    expect(sent.id).toMatch(UUID);
    expect(sent.created_at).toMatch(ISO);

    const [e] = await published.waitFor(1);
    expect(e!.subject).toBe(subjects.chatEvent(chatId, 'new_message'));
    expect(e!.body).toEqual({ type: 'new_message', chat_id: chatId, payload: sent, seq: 1 });
    expect(e!.headers).toMatchObject({ 'Chat-Seq': '1', 'Msg-Author': alice.id, 'Msg-Id': messageId, 'Nats-Msg-Id': `${chatId}:1` });
  });

  it('message_status_update: another participant reads; a repeat read and reading one own message emit nothing', async () => {
    const res = await onMessage(bob, 'PUT', messageId, '/read');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message_id: messageId, status: 'read', read_by: [bob.id], read_at: expect.stringMatching(ISO) });
    const seen = await published.waitFor(2);
    expect(seen[1]!.body).toEqual({ type: 'message_status_update', chat_id: chatId, payload: res.body, seq: 2 });

    const again = await onMessage(bob, 'PUT', messageId, '/read');
    expect(again.body).toEqual(res.body);
    const own = await onMessage(alice, 'PUT', messageId, '/read');
    expect(own.body).toEqual(res.body);
    const status = await onMessage(alice, 'GET', messageId, '/status');
    expect(status.body).toEqual(res.body);
    await expectNoNewEvents(2);
  });

  it('message_liked / message_unliked, and a repeat of either is a 200 no-op without an event', async () => {
    const like = await onMessage(bob, 'POST', messageId, '/like');
    expect(like.status).toBe(200);
    expect(like.body).toEqual({ message_id: messageId, likes_count: 1, liked_by: [bob.id], liked_at: expect.stringMatching(ISO), is_liked: true });
    const seen = await published.waitFor(3);
    const { is_liked: _, ...likedPayload } = like.body;
    expect(seen[2]!.body).toEqual({ type: 'message_liked', chat_id: chatId, payload: likedPayload, seq: 3 });

    const repeat = await onMessage(bob, 'POST', messageId, '/like');
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(like.body);
    await expectNoNewEvents(3);

    const likesBob = await onMessage(bob, 'GET', messageId, '/likes');
    expect(likesBob.body).toMatchObject({ likes_count: 1, liked_by: [bob.id], liked_at: like.body.liked_at, is_liked_by_user: true });
    const likesAlice = await onMessage(alice, 'GET', messageId, '/likes');
    expect(likesAlice.body.is_liked_by_user).toBe(false);

    const unlike = await onMessage(bob, 'DELETE', messageId, '/like');
    expect(unlike.body).toEqual({ message_id: messageId, likes_count: 0, liked_by: [], liked_at: null, is_liked: false });
    const seen2 = await published.waitFor(4);
    expect(seen2[3]!.body).toEqual({
      type: 'message_unliked', chat_id: chatId, payload: { message_id: messageId, likes_count: 0, liked_by: [], liked_at: null }, seq: 4,
    });
    const unlikeAgain = await onMessage(bob, 'DELETE', messageId, '/like');
    expect(unlikeAgain.status).toBe(200);
    expect(unlikeAgain.body).toEqual(unlike.body);
    await expectNoNewEvents(4);
  });

  it('message_edited: the author edits (others get 403); the status becomes edited', async () => {
    expect((await onMessage(bob, 'PUT', messageId, '/edit', { content: 'hijack' })).status).toBe(403);
    expect((await onMessage(alice, 'PUT', messageId, '/edit', { content: '  ' })).status).toBe(400);
    const res = await onMessage(alice, 'PUT', messageId, '/edit', { content: 'Hello, edited' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: messageId, content: 'Hello, edited', status: 'edited', is_edited: true, read_by: [bob.id] });
    expect(res.body.edited_at).toMatch(ISO);
    expect(Object.keys(res.body).sort()).toEqual(messageKeys);
    const seen = await published.waitFor(5);
    expect(seen[4]!.body).toEqual({
      type: 'message_edited', chat_id: chatId,
      payload: { id: messageId, content: 'Hello, edited', status: 'edited', is_edited: true, edited_at: res.body.edited_at }, seq: 5,
    });
    await expectNoNewEvents(5);
  });

  it('message_deleted: the author deletes; the message is gone and every later action is a 404', async () => {
    expect((await onMessage(bob, 'DELETE', messageId)).status).toBe(403);
    const res = await onMessage(alice, 'DELETE', messageId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message_id: messageId });
    const seen = await published.waitFor(6);
    expect(seen[5]!.body).toEqual({ type: 'message_deleted', chat_id: chatId, payload: { message_id: messageId }, seq: 6 });

    expect((await history(alice)).body.map((m: any) => m.id)).not.toContain(messageId);
    expect((await onMessage(alice, 'PUT', messageId, '/edit', { content: 'x' })).status).toBe(404);
    expect((await onMessage(alice, 'DELETE', messageId)).status).toBe(404);
    expect((await onMessage(bob, 'POST', messageId, '/like')).status).toBe(404);
    expect((await onMessage(bob, 'DELETE', messageId, '/like')).status).toBe(404);
    expect((await onMessage(bob, 'PUT', messageId, '/read')).status).toBe(404);
    expect((await onMessage(bob, 'GET', messageId, '/status')).status).toBe(404);
    expect((await onMessage(bob, 'GET', messageId, '/likes')).status).toBe(404);
    await expectNoNewEvents(6);
    expect(published.events.map((e) => e.body.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const chat = await api(base, 'GET', `/api/v1/chats/${chatId}`, { token: bob.token });
    expect(chat.body.last_seq).toBe(6);
  });
});

describe('bad input and strangers', () => {
  it('refuses invalid bodies with 400 and stores nothing', async () => {
    const before = (await history(alice)).body.length;
    const bad = [
      await api(base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, raw: '{"type": "text",' }),
      await send(alice, { type: 'text', content: 5 }),
      await send(alice, { type: 'text', content: '' }),
      await send(alice, { type: 'text', content: '   ' }),
      await send(alice, { type: 'poll', content: 'hi' }),
      await send(alice, { type: 'image' }),
      await send(alice, { type: 'text', content: 'x'.repeat(4097) }),
      await send(alice, { type: 'text', content: 'hi', reply_to_id: 'nope' }),
      await send(alice, 'just a string'),
    ];
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
    expect((await history(alice)).body.length).toBe(before);
    const max = await send(alice, { type: 'text', content: 'x'.repeat(4096) });
    expect(max.status).toBe(201);
    const image = await send(alice, { type: 'image', media_url: 'https://example.com/a.png' });
    expect(image.status).toBe(201);
    expect(image.body).toMatchObject({ type: 'image', content: '', media_url: 'https://example.com/a.png' });
  });

  it("takes a media_url only as an http(s) URL or a path of the media service's downloads: other schemes are 400, nothing stored", async () => {
    const before = (await history(alice)).body.length;
    for (const media_url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', '//evil.example/a.png', 'uploads/a.png', 'ftp://example.com/a.png', ' https://example.com/a.png']) {
      const res = await send(alice, { type: 'image', media_url });
      expect(res.status, media_url).toBe(400);
      expect(res.body.error, media_url).toMatch(/media_url/);
    }
    expect((await history(alice)).body.length).toBe(before);
    for (const media_url of ['http://example.com/a.png', 'HTTPS://example.com/a.png', `/uploads/${alice.id}/00000000-0000-4000-8000-000000000000.png`]) {
      expect((await send(alice, { type: 'voice', media_url })).status, media_url).toBe(201);
    }
  });

  it('answers malformed ids with 400 and unknown ones with 404', async () => {
    expect((await api(base, 'GET', '/api/v1/chats/not-a-uuid', { token: alice.token })).status).toBe(400);
    expect((await api(base, 'GET', '/api/v1/chats/not-a-uuid/messages', { token: alice.token })).status).toBe(400);
    expect((await api(base, 'POST', '/api/v1/chats/123/messages', { token: alice.token, body: { type: 'text', content: 'x' } })).status).toBe(400);
    expect((await api(base, 'PUT', '/api/v1/messages/xyz/edit', { token: alice.token, body: { content: 'x' } })).status).toBe(400);
    expect((await api(base, 'PUT', '/api/v1/messages/xyz/read', { token: alice.token })).status).toBe(400);
    expect((await api(base, 'DELETE', '/api/v1/messages/xyz', { token: alice.token })).status).toBe(400);
    expect((await api(base, 'GET', '/api/v1/messages/xyz/likes', { token: alice.token })).status).toBe(400);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await send(alice, { type: 'text', content: 'x' }, missing)).status).toBe(404);
    expect((await onMessage(alice, 'GET', missing, '/status')).status).toBe(404);
    expect((await api(base, 'GET', `/api/v1/chats/${chatId}/messages`)).status).toBe(401);
    expect((await api(base, 'GET', `/api/v1/chats/${chatId}/messages`, { token: 'garbage' })).status).toBe(401);
  });

  it('refuses a non-participant with 403: nothing stored and no event', async () => {
    const count = published.events.length;
    const before = (await history(alice)).body;
    const target = before.at(-1).id;
    expect((await send(carol, { type: 'text', content: 'intruder' })).status).toBe(403);
    expect((await history(carol)).status).toBe(403);
    expect((await api(base, 'GET', `/api/v1/chats/${chatId}`, { token: carol.token })).status).toBe(403);
    expect((await onMessage(carol, 'POST', target, '/like')).status).toBe(403);
    expect((await onMessage(carol, 'PUT', target, '/read')).status).toBe(403);
    expect((await onMessage(carol, 'GET', target, '/status')).status).toBe(403);
    expect((await onMessage(carol, 'GET', target, '/likes')).status).toBe(403);
    expect((await onMessage(carol, 'PUT', target, '/edit', { content: 'x' })).status).toBe(403);
    expect((await onMessage(carol, 'DELETE', target)).status).toBe(403);
    await sleep(400);
    expect(published.events.length).toBe(count);
    const after = (await history(alice)).body;
    expect(after).toEqual(before);
  });

  it('accepts reply_to_id only for a message of the same chat', async () => {
    const other = await api(base, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [carol.id] } });
    const foreign = await send(alice, { type: 'text', content: 'elsewhere' }, other.body.id);
    expect(foreign.status).toBe(201);
    expect((await send(alice, { type: 'text', content: 're', reply_to_id: foreign.body.id })).status).toBe(400);
    const local = (await history(alice)).body.at(-1).id;
    expect((await send(bob, { type: 'text', content: 're', reply_to_id: local })).status).toBe(201);
  });
});

describe('delivery receipts', () => {
  it('mark delivered once, from another participant only, with one event', async () => {
    const msg = (await send(alice, { type: 'text', content: 'deliver me' })).body;
    // Events of earlier tests may still be arriving: find this message's events by id, not by index.
    const ofMsg = () => published.events.filter((e) => (e.body.payload.id ?? e.body.payload.message_id) === msg.id);
    await waitUntil(() => ofMsg().length === 1);
    const seqBefore = (await api(base, 'GET', `/api/v1/chats/${chatId}`, { token: alice.token })).body.last_seq;
    const report = {
      receipts: [
        { chat_id: chatId, message_id: msg.id, user_id: alice.id }, // the author: ignored
        { chat_id: chatId, message_id: msg.id, user_id: carol.id }, // not a participant: ignored
        { chat_id: chatId, message_id: msg.id, user_id: bob.id },
      ],
    };
    nc.publish(subjects.messagesDeliveriesReport, JSON.stringify(report));
    await waitUntil(() => ofMsg().length === 2);
    expect(ofMsg()[1]!.body).toEqual({
      type: 'message_status_update', chat_id: chatId,
      payload: { message_id: msg.id, status: 'delivered', read_by: [], read_at: null }, seq: seqBefore + 1,
    });
    const start = published.events.length;
    expect((await onMessage(alice, 'GET', msg.id, '/status')).body.status).toBe('delivered');

    nc.publish(subjects.messagesDeliveriesReport, JSON.stringify(report));
    nc.publish(subjects.messagesDeliveriesReport, 'not json');
    nc.publish(subjects.messagesDeliveriesReport, JSON.stringify({ receipts: [] }));
    await expectNoNewEvents(start);

    // Reading one's own message changes nothing either.
    expect((await onMessage(alice, 'PUT', msg.id, '/read')).body).toMatchObject({ status: 'delivered', read_by: [] });
    await expectNoNewEvents(start);
    const read = await onMessage(bob, 'PUT', msg.id, '/read');
    expect(read.body).toMatchObject({ status: 'read', read_by: [bob.id] });
    await published.waitFor(start + 1);
  });

  it('a receipt for a message that is not sent any more changes nothing', async () => {
    const start = published.events.length;
    const msg = (await history(alice)).body.at(-1);
    expect(msg.status).toBe('read');
    nc.publish(subjects.messagesDeliveriesReport, JSON.stringify({ receipts: [{ chat_id: chatId, message_id: msg.id, user_id: bob.id }] }));
    await expectNoNewEvents(start);
    expect((await onMessage(alice, 'GET', msg.id, '/status')).body.status).toBe('read');
  });
  it('one report across two chats: each changed message gets its own event, seqs contiguous per chat', async () => {
    const other = (await api(base, 'POST', '/api/v1/chats', { token: bob.token, body: { type: 'private', participant_ids: [alice.id] } })).body;
    const otherEvents = await collectEvents(nc, subjects.chatEvents(other.id));
    const a1 = (await send(alice, { type: 'text', content: 'd1' })).body;
    const a2 = (await send(alice, { type: 'text', content: 'd2' })).body;
    const b1 = (await send(bob, { type: 'text', content: 'd3' }, other.id)).body;
    await otherEvents.waitFor(1);
    const start = published.events.length;
    await sleep(100);
    expect(published.events.length).toBe(start);
    nc.publish(
      subjects.messagesDeliveriesReport,
      JSON.stringify({
        receipts: [
          { chat_id: chatId, message_id: a2.id, user_id: bob.id },
          { chat_id: other.id, message_id: b1.id, user_id: alice.id },
          { chat_id: chatId, message_id: a1.id, user_id: bob.id },
          { chat_id: chatId, message_id: a1.id, user_id: bob.id },
        ],
      }),
    );
    const seen = await published.waitFor(start + 2);
    const frames = seen.slice(start).map((e) => e.body);
    expect(frames.map((f) => f.payload.message_id)).toEqual([a1.id, a2.id]);
    expect(frames[1].seq).toBe(frames[0].seq + 1);
    expect(frames.every((f) => f.type === 'message_status_update' && f.payload.status === 'delivered')).toBe(true);
    const o = await otherEvents.waitFor(2);
    expect(o[1]!.body).toMatchObject({ type: 'message_status_update', seq: 2, payload: { message_id: b1.id, status: 'delivered' } });
    await expectNoNewEvents(start + 2);
  });
});

describe('history paging', () => {
  it('pages the newest messages first, each page oldest first, with offset and before', async () => {
    const all = (await history(alice, '?limit=100')).body;
    expect(all.length).toBeGreaterThanOrEqual(4);
    const ids = all.map((m: any) => m.id);
    expect((await history(alice, '?limit=2')).body.map((m: any) => m.id)).toEqual(ids.slice(-2));
    expect((await history(alice, '?limit=2&offset=1')).body.map((m: any) => m.id)).toEqual(ids.slice(-3, -1));
    const last = ids.at(-1);
    expect((await history(alice, `?limit=2&before=${last}`)).body.map((m: any) => m.id)).toEqual(ids.slice(-3, -1));
    expect((await history(alice, `?before=${ids[0]}`)).body).toEqual([]);
    const created = all.map((m: any) => m.created_at);
    expect([...created].sort()).toEqual(created);

    for (const q of ['?limit=0', '?limit=101', '?limit=abc', '?limit=1.5', '?offset=-1', '?offset=x', '?before=nope', '?before=00000000-0000-4000-8000-000000000000']) {
      const res = await history(alice, q);
      expect(res.status, q).toBe(400);
    }
  });
});
