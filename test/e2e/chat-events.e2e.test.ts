import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openSocket, registerUser, startStack, testScope, type Instance, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';

/** The seed's field lists, binding field for field. */
const seedKeys = {
  new_message: ['id', 'chat_id', 'user_id', 'type', 'content', 'media_url', 'status', 'is_edited', 'edited_at', 'read_at', 'read_by', 'likes_count', 'liked_by', 'liked_at', 'created_at', 'user'],
  message_edited: ['id', 'content', 'status', 'is_edited', 'edited_at'],
  message_deleted: ['message_id'],
  message_status_update: ['message_id', 'status', 'read_by', 'read_at'],
  message_liked: ['message_id', 'likes_count', 'liked_by', 'liked_at'],
  message_unliked: ['message_id', 'likes_count', 'liked_by', 'liked_at'],
};

const scope = testScope('e2e-chat-events');
let stack: Stack;
let gw: Instance;
let a: TestUser;
let b: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'gateway'] });
  gw = stack.get('gateway');
  [a, b] = await Promise.all([registerUser(gw.url, 'ann'), registerUser(gw.url, 'bob')]);
});
afterAll(() => stack?.destroy());

async function newChat(): Promise<string> {
  const res = await api(gw.url, 'POST', '/api/v1/chats', { token: a.token, body: { type: 'private', participant_ids: [b.id] } });
  expect(res.status).toBe(201);
  return res.body.id;
}

function expectContiguous(log: SocketClient) {
  const seqs = log.frames.filter((f) => typeof f.seq === 'number').map((f) => f.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe('the six message events, through the gateway to both participants', () => {
  it('delivers every event with every field of the seed, in the same order to both sockets', async () => {
    const chatId = await newChat();
    const [sa, sb] = await Promise.all([
      openSocket(gw.url, { token: a.token, chat_id: chatId }),
      openSocket(gw.url, { token: b.token, chat_id: chatId }),
    ]);

    const sent = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'Hello!' } });
    expect(sent.status).toBe(201);
    const messageId = sent.body.id;
    for (const s of [sa, sb]) {
      const [frame] = await s.waitFor((f) => f.type === 'new_message');
      expect(frame).toMatchObject({ type: 'new_message', chat_id: chatId, seq: 1 });
      expect(Object.keys(frame.payload).sort()).toEqual([...seedKeys.new_message].sort());
      expect(frame.payload).toMatchObject({
        id: messageId, chat_id: chatId, user_id: a.id, type: 'text', content: 'Hello!', media_url: '',
        is_edited: false, edited_at: null, read_at: null, read_by: [], likes_count: 0, liked_by: [], liked_at: null,
        user: { id: a.id, username: a.username },
      });
      expect(new Date(frame.payload.created_at).toISOString()).toBe(frame.payload.created_at);
    }

    // B's socket received it: the gateway reports delivery, the sender learns it.
    for (const s of [sa, sb]) {
      const [delivered] = await s.waitFor((f) => f.type === 'message_status_update' && f.payload.status === 'delivered');
      expect(delivered.payload).toEqual({ message_id: messageId, status: 'delivered', read_by: [], read_at: null });
    }

    expect((await api(gw.url, 'PUT', `/api/v1/messages/${messageId}/edit`, { token: a.token, body: { content: 'Updated message text' } })).status).toBe(200);
    expect((await api(gw.url, 'POST', `/api/v1/messages/${messageId}/like`, { token: b.token })).status).toBe(200);
    expect((await api(gw.url, 'DELETE', `/api/v1/messages/${messageId}/like`, { token: b.token })).status).toBe(200);
    expect((await api(gw.url, 'PUT', `/api/v1/messages/${messageId}/read`, { token: b.token })).status).toBe(200);
    expect((await api(gw.url, 'DELETE', `/api/v1/messages/${messageId}`, { token: a.token })).status).toBe(200);

    for (const s of [sa, sb]) {
      await s.waitFor((f) => f.type === 'message_deleted');
      const byType = (t: string) => s.ofType(t).map((f) => f.payload);
      const [edited] = byType('message_edited');
      expect(Object.keys(edited).sort()).toEqual([...seedKeys.message_edited].sort());
      expect(edited).toMatchObject({ id: messageId, content: 'Updated message text', status: 'edited', is_edited: true });
      expect(typeof edited.edited_at).toBe('string');
      const [liked] = byType('message_liked');
      expect(Object.keys(liked).sort()).toEqual([...seedKeys.message_liked].sort());
      expect(liked).toMatchObject({ message_id: messageId, likes_count: 1, liked_by: [b.id] });
      expect(typeof liked.liked_at).toBe('string');
      const [unliked] = byType('message_unliked');
      expect(Object.keys(unliked).sort()).toEqual([...seedKeys.message_unliked].sort());
      expect(unliked).toMatchObject({ message_id: messageId, likes_count: 0, liked_by: [] });
      const read = byType('message_status_update').find((p) => p.status === 'read');
      expect(Object.keys(read).sort()).toEqual([...seedKeys.message_status_update].sort());
      expect(read).toMatchObject({ message_id: messageId, status: 'read', read_by: [b.id] });
      expect(typeof read.read_at).toBe('string');
      expect(byType('message_deleted')).toEqual([{ message_id: messageId }]);
      expectContiguous(s);
      for (const f of s.frames.filter((x) => x.seq)) expect(f.chat_id).toBe(chatId);
    }
    // The chat's events; the live frames (the partner's user_status) come whenever its presence turns.
    const events = (s: typeof sa) => s.frames.filter((f) => f.seq !== undefined).map((f) => [f.seq, f.type]);
    expect(events(sa)).toEqual(events(sb));
    sa.close();
    sb.close();
  });

  it('gives a socket without chat_id none of the chat events', async () => {
    const chatId = await newChat();
    const lobby = await openSocket(gw.url, { token: b.token });
    const inChat = await openSocket(gw.url, { token: b.token, chat_id: chatId });
    await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'hi' } });
    await inChat.waitFor((f) => f.type === 'new_message');
    await new Promise((r) => setTimeout(r, 200));
    expect(lobby.frames.filter((f) => f.chat_id === chatId)).toEqual([]);
    lobby.close();
    inChat.close();
  });

  it('delivers 30 messages sent at once by two users to every socket once each, in history order', async () => {
    const chatId = await newChat();
    const sockets = await Promise.all([
      openSocket(gw.url, { token: a.token, chat_id: chatId }),
      openSocket(gw.url, { token: a.token, chat_id: chatId }),
      openSocket(gw.url, { token: b.token, chat_id: chatId }),
    ]);
    const sends = Array.from({ length: 30 }, (_, i) =>
      api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: (i % 2 ? b : a).token, body: { type: 'text', content: `m${i}` } }),
    );
    const answers = await Promise.all(sends);
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(201));

    const history = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages?limit=100`, { token: a.token });
    expect(history.status).toBe(200);
    const order = history.body.map((m: { id: string }) => m.id);
    expect(new Set(order).size).toBe(30);
    for (const s of sockets) {
      const got = await s.waitFor((f) => f.type === 'new_message', 30);
      await new Promise((r) => setTimeout(r, 100));
      expect(s.ofType('new_message').map((f) => f.payload.id)).toEqual(order);
      expectContiguous(s);
      s.close();
    }
  });
});
