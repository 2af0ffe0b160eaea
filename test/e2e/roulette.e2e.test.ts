import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openSocket, registerUser, startStack, testScope, type Instance, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('e2e-roulette');
let stack: Stack;
let gw: Instance;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { roulette: { ROULETTE_GRACE_MS: '600', ROULETTE_GRACE_LOOP_MS: '50', ROULETTE_MATCHER_LOOP_MS: '100' } },
    instances: ['auth', 'messages', 'roulette', 'gateway'],
  });
  gw = stack.get('gateway');
});
afterAll(() => stack?.destroy());

async function matchedPair(): Promise<{ a: TestUser; b: TestUser; chatId: string; lobbies: SocketClient[] }> {
  const [a, b] = await Promise.all([registerUser(gw.url, 'ra'), registerUser(gw.url, 'rb')]);
  const lobbies = await Promise.all([openSocket(gw.url, { token: a.token }), openSocket(gw.url, { token: b.token })]);
  expect((await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: a.token })).status).toBe(202);
  const second = await api(gw.url, 'GET', '/api/v1/chatroulette/find', { token: b.token });
  expect(second.status).toBe(200);
  expect(second.body.status).toBe('matched');
  return { a, b, chatId: second.body.chat_id, lobbies };
}

describe('chatroulette through the gateway', () => {
  it('tells both users of the match on sockets opened without chat_id, in the seed shape', async () => {
    const { a, b, chatId, lobbies } = await matchedPair();
    const [ma] = await lobbies[0]!.waitFor((f) => f.type === 'chatroulette_match');
    const [mb] = await lobbies[1]!.waitFor((f) => f.type === 'chatroulette_match');
    for (const [frame, partner] of [[ma, b], [mb, a]] as const) {
      expect(Object.keys(frame).filter((k) => k !== 'seq').sort()).toEqual(['chat_id', 'payload', 'type']);
      expect(frame.chat_id).toBe(chatId);
      expect(Object.keys(frame.payload).sort()).toEqual(['chat_id', 'user']);
      expect(frame.payload.chat_id).toBe(chatId);
      expect(Object.keys(frame.payload.user).sort()).toEqual(['id', 'is_online', 'last_seen', 'username']);
      expect(frame.payload.user).toMatchObject({ id: partner.id, username: partner.username, is_online: true });
    }
    // Both can post at once the moment they learn of the match.
    const [pa, pb] = await Promise.all([
      api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'hi' } }),
      api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: b.token, body: { type: 'text', content: 'hey' } }),
    ]);
    expect([pa.status, pb.status]).toEqual([201, 201]);
    for (const l of lobbies) l.close();
  });

  it('sends chatroulette_left on skip and closes the unsaved chat', async () => {
    const { a, b, chatId, lobbies } = await matchedPair();
    const inChat = await openSocket(gw.url, { token: b.token, chat_id: chatId });
    expect((await api(gw.url, 'POST', `/api/v1/chatroulette/${chatId}/skip`, { token: a.token })).body).toEqual({ status: 'idle' });
    const [left] = await inChat.waitFor((f) => f.type === 'chatroulette_left');
    expect(left).toMatchObject({ type: 'chatroulette_left', chat_id: chatId, payload: { user_id: a.id, username: a.username } });
    expect(Object.keys(left.payload).sort()).toEqual(['user_id', 'username']);
    expect(typeof left.seq).toBe('number');
    expect((await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: b.token, body: { type: 'text', content: 'x' } })).status).toBe(409);
    inChat.close();
    for (const l of lobbies) l.close();
  });

  it('treats a user whose sockets are all gone past the grace period as having left', async () => {
    const { a, b, chatId, lobbies } = await matchedPair();
    const inChat = await openSocket(gw.url, { token: b.token, chat_id: chatId });
    lobbies[0]!.close(); // a's only socket
    const [left] = await inChat.waitFor((f) => f.type === 'chatroulette_left', 1, 10_000);
    expect(left.payload).toEqual({ user_id: a.id, username: a.username });
    const status = await api(gw.url, 'GET', '/api/v1/chatroulette/status', { token: b.token });
    expect(status.body.status).toBe('idle');
    inChat.close();
    lobbies[1]!.close();
  });

  it('keeps the match of a user who comes back within the grace period', async () => {
    const { a, chatId, lobbies } = await matchedPair();
    lobbies[0]!.close();
    const back = await openSocket(gw.url, { token: a.token });
    await new Promise((r) => setTimeout(r, 1500));
    const status = await api(gw.url, 'GET', '/api/v1/chatroulette/status', { token: a.token });
    expect(status.body).toMatchObject({ status: 'matched', chat_id: chatId });
    back.close();
    lobbies[1]!.close();
  });
});
