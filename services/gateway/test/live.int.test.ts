import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '@chatroulette/db';
import { api, openSocket, pollUntil, registerUser, sleep, startStack, testScope, type Instance, type SocketClient, type Stack } from '@chatroulette/testing';
import { chatPair, pingBarrier, socketPool } from './helpers.js';

/**
 * Typing and partner presence (contract "Live extras on the socket") through two gateways on one
 * NATS: to the other participants only, throttled, ephemeral, and presence from auth's state across
 * every gateway.
 */
const scope = testScope('gateway-live');
let stack: Stack;
let gw1: Instance;
let gw2: Instance;
let authDb: pg.Client;
const sockets = socketPool();
const socket = sockets.open;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    instances: ['auth', 'messages', { service: 'gateway', env: { GATEWAY_ID: 'live-gw-1' } }, { service: 'gateway', env: { GATEWAY_ID: 'live-gw-2' } }],
  });
  [gw1, gw2] = stack.all('gateway') as [Instance, Instance];
  authDb = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('auth')) });
  await authDb.connect();
});

afterAll(async () => {
  sockets.closeAll();
  await authDb?.end();
  await stack?.destroy();
});

const pair = () => chatPair(gw1.url, 'l');

const typingOf = (s: SocketClient) => s.ofType('typing');
const errorsOf = (s: SocketClient) => s.ofType('error');

describe('typing', () => {
  it('reaches the other participants on both gateways, never the sender’s own sockets, without a seq', async () => {
    const { a, b, chatId } = await pair();
    const [a1, a1b, a2, b1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw1, a, chatId), socket(gw2, a, chatId), socket(gw1, b, chatId), socket(gw2, b, chatId)]);
    a1.send({ type: 'typing', chat_id: chatId, payload: { is_typing: true } });
    for (const s of [b1, b2]) {
      const [frame] = await s.waitFor((f) => f.type === 'typing');
      expect(frame).toEqual({ type: 'typing', chat_id: chatId, payload: { user_id: a.id, username: a.username, is_typing: true } });
    }
    // b1 got it in the same pass over gw1's sockets as a1 and a1b would have; b2 likewise on gw2 for a2.
    await Promise.all([pingBarrier(a1), pingBarrier(a1b), pingBarrier(a2)]);
    for (const s of [a1, a1b, a2]) expect(typingOf(s)).toEqual([]);
  });

  it('takes the socket’s chat when chat_id is left out, and true when the payload is', async () => {
    const { a, b, chatId } = await pair();
    const [a1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, b, chatId)]);
    a1.send({ type: 'typing' });
    const [frame] = await b2.waitFor((f) => f.type === 'typing');
    expect(frame.payload).toEqual({ user_id: a.id, username: a.username, is_typing: true });
  });

  it('from a socket opened without chat_id, for a chat the sender is in', async () => {
    const { a, b, chatId } = await pair();
    const [lobby, b2] = await Promise.all([socket(gw1, a), socket(gw2, b, chatId)]);
    lobby.send({ type: 'typing', chat_id: chatId.toUpperCase(), payload: { is_typing: false } });
    const [frame] = await b2.waitFor((f) => f.type === 'typing');
    expect(frame).toMatchObject({ chat_id: chatId, payload: { user_id: a.id, is_typing: false } });
  });

  it('forwards one is_typing: true per user and chat per 2 s, drops the rest without an error, and every false', async () => {
    const { a, b, chatId } = await pair();
    const [a1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, b, chatId)]);
    a1.send({ type: 'typing', payload: { is_typing: true } });
    a1.send({ type: 'typing', payload: { is_typing: true } });
    a1.send({ type: 'typing', payload: { is_typing: true } });
    a1.send({ type: 'typing', payload: { is_typing: false } });
    // The false is sent after the dropped trues on the same socket and subject: once it is here, they would be.
    await b2.waitFor((f) => f.type === 'typing' && !f.payload.is_typing);
    expect(typingOf(b2).map((f) => f.payload.is_typing)).toEqual([true, false]);
    await pingBarrier(a1);
    expect(errorsOf(a1)).toEqual([]);
    // The window is the contract's 2 s: then the next true goes out.
    await sleep(2100);
    a1.send({ type: 'typing', payload: { is_typing: true } });
    await b2.waitFor((f) => f.type === 'typing', 3);
    expect(typingOf(b2).map((f) => f.payload.is_typing)).toEqual([true, false, true]);
  });

  it('holds the throttle across gateways: one user typing on two at once is forwarded once', async () => {
    const { a, b, chatId } = await pair();
    const [a1, a2, b1] = await Promise.all([socket(gw1, a, chatId), socket(gw2, a, chatId), socket(gw1, b, chatId)]);
    a1.send({ type: 'typing', payload: { is_typing: true } });
    a2.send({ type: 'typing', payload: { is_typing: true } });
    a1.send({ type: 'typing', payload: { is_typing: false } });
    a2.send({ type: 'typing', payload: { is_typing: false } });
    // Each false follows its gateway's true: with both falses here, both trues have been judged.
    await b1.waitFor((f) => f.type === 'typing' && !f.payload.is_typing, 2);
    expect(typingOf(b1).filter((f) => f.payload.is_typing)).toHaveLength(1);
  });

  it('is ephemeral: no seq, nothing in the chat’s log, nothing replayed with since', async () => {
    const { a, b, chatId } = await pair();
    const [a1, b1] = await Promise.all([socket(gw1, a, chatId), socket(gw1, b, chatId)]);
    a1.send({ type: 'typing', payload: { is_typing: false } });
    const [frame] = await b1.waitFor((f) => f.type === 'typing');
    expect(frame).not.toHaveProperty('seq');
    const chat = await api(gw1.url, 'GET', `/api/v1/chats/${chatId}`, { token: b.token });
    expect(chat.body.last_seq).toBe(0);
    const replay = await openSocket(gw2.url, { token: b.token, chat_id: chatId, since: 0 });
    const [recovery] = await replay.waitFor((f) => f.type === 'recovery');
    expect(recovery.payload).toEqual({ recovered: true, seq: 0 });
    expect(typingOf(replay)).toEqual([]);
    replay.close();
  });

  it('refuses, with an error frame and the socket left open: no chat, a chat of others, no such chat', async () => {
    const { a, chatId } = await pair();
    const stranger = await registerUser(gw1.url, 'ls');
    const [lobby, strangerSocket, b1] = await Promise.all([socket(gw1, stranger), socket(gw2, stranger), socket(gw1, a, chatId)]);
    lobby.send({ type: 'typing' });
    lobby.send({ type: 'typing', chat_id: chatId });
    strangerSocket.send({ type: 'typing', chat_id: crypto.randomUUID() });
    lobby.send({ type: 'typing', chat_id: 'not-a-uuid' });
    const lobbyErrors = await lobby.waitFor((f) => f.type === 'error', 3);
    // The malformed frame is answered at once; the others after their checks, in order.
    expect(lobbyErrors.map((f) => f.payload.code)).toEqual(['invalid_frame', 'chat_required', 'not_participant']);
    expect(lobbyErrors[2]).toMatchObject({ chat_id: chatId, payload: { message: expect.any(String) } });
    const [unknownChat] = await strangerSocket.waitFor((f) => f.type === 'error');
    expect(unknownChat.payload.code).toBe('not_participant');
    await Promise.all([pingBarrier(lobby), pingBarrier(strangerSocket), pingBarrier(b1)]);
    expect(lobby.closedCode).toBeUndefined();
    expect(typingOf(b1)).toEqual([]);
  });
});

describe('partner presence', () => {
  const statusOf = (s: SocketClient, userId: string) => s.ofType('user_status').filter((f) => f.payload.user_id === userId);
  const rowOnline = async (userId: string, gatewayId: string) => {
    const { rows } = await authDb.query('select online from presence where user_id = $1 and gateway_id = $2', [userId, gatewayId]);
    return rows[0]?.online as boolean | undefined;
  };

  it('tells the other participants when a user comes online anywhere and goes offline everywhere, across gateways', async () => {
    const { a, b, chatId } = await pair();
    const b1 = await socket(gw1, b, chatId);
    // a's first socket anywhere: on the other gateway, without a chat.
    const a2 = await socket(gw2, a);
    const [online] = await b1.waitFor((f) => f.type === 'user_status' && f.payload.user_id === a.id);
    expect(online).toEqual({ type: 'user_status', chat_id: chatId, payload: { user_id: a.id, username: a.username, is_online: true, last_seen: null } });
    // A second socket on gw1, then the first one closed: a is still online (on gw1).
    const a1 = await socket(gw1, a, chatId);
    // Auth has both gateways' word before one goes (else it may hear gw2's offline first, and flip twice).
    await pollUntil(() => rowOnline(a.id, 'live-gw-1'), (online) => online === true);
    await a2.closeAndWait();
    await pollUntil(() => rowOnline(a.id, 'live-gw-2'), (online) => online === false);
    expect(statusOf(b1, a.id)).toHaveLength(1);
    // The last one: offline, with a last_seen from after it closed (not from gw2's close).
    const lastClose = Date.now();
    await a1.closeAndWait();
    const [, offline] = await b1.waitFor((f) => f.type === 'user_status' && f.payload.user_id === a.id, 2);
    expect(offline).toMatchObject({ chat_id: chatId, payload: { user_id: a.id, username: a.username, is_online: false } });
    expect(Date.parse(offline.payload.last_seen)).toBeGreaterThanOrEqual(lastClose - 5);
    expect(offline).not.toHaveProperty('seq');
  });

  it('reaches the other participants’ sockets on the chat on every gateway, not the user’s own', async () => {
    const { a, b, chatId } = await pair();
    const [b1, b2, bLobby] = await Promise.all([socket(gw1, b, chatId), socket(gw2, b, chatId), socket(gw2, b)]);
    const a1 = await socket(gw1, a, chatId);
    for (const s of [b1, b2]) await s.waitFor((f) => f.type === 'user_status' && f.payload.user_id === a.id && f.payload.is_online);
    await Promise.all([pingBarrier(a1), pingBarrier(bLobby)]);
    // Neither a's own socket, nor b's socket that is on no chat.
    expect(a1.ofType('user_status').filter((f) => f.payload.user_id === a.id)).toEqual([]);
    expect(bLobby.ofType('user_status')).toEqual([]);
  });
});
