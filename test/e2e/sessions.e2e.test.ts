import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openSocket, refusedUpgrade, registerUser, startStack, testScope, type Instance, type SocketClient, type Stack } from '@chatroulette/testing';

const scope = testScope('e2e-sessions');
let stack: Stack;
let gw1: Instance;
let gw2: Instance;

beforeAll(async () => {
  // Two auth instances and two gateways, each gateway on its own auth: a revocation made through one
  // must hold on the other.
  stack = await startStack({
    infra: scope,
    instances: ['auth', 'auth', 'messages', { service: 'gateway', upstreams: { auth: [0] } }, { service: 'gateway', upstreams: { auth: [1] } }],
  });
  [gw1, gw2] = stack.all('gateway') as [Instance, Instance];
});
afterAll(() => stack?.destroy());

const PASSWORD = 'correct horse battery';

async function login(base: string, username: string, password = PASSWORD) {
  const res = await api(base, 'POST', '/api/v1/auth/login', { body: { username, password } });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

/** The REST answers of a token: at auth (profile) and at messages (chats), through both gateways. */
async function restStatuses(token: string) {
  const paths = ['/api/v1/auth/profile', '/api/v1/chats'];
  const answers = await Promise.all([gw1, gw2].flatMap((gw) => paths.map((p) => api(gw.url, 'GET', p, { token }))));
  return answers.map((a) => a.status);
}

/** Resolves with the close code, or 'open' when the socket is still open after `ms`. */
async function closedWithin(s: SocketClient, ms: number) {
  const timer = new Promise<'open'>((r) => setTimeout(() => r('open'), ms));
  return Promise.race([s.closed.then((c) => c.code), timer]);
}

describe('sessions', () => {
  it('refresh answers a fresh working token with its expiry', async () => {
    const u = await registerUser(gw1.url, 'refresh', PASSWORD);
    const res = await api(gw2.url, 'POST', '/api/v1/auth/refresh', { token: u.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(res.body.token).not.toBe(u.token);
    expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect(await restStatuses(res.body.token)).toEqual([200, 200, 200, 200]);
    expect((await api(gw1.url, 'POST', '/api/v1/auth/refresh')).status).toBe(401);
  });

  it('logout refuses that token everywhere (REST 401 on both gateways and services) and closes its sockets with 4401 within 5 s', async () => {
    const u = await registerUser(gw1.url, 'logout', PASSWORD);
    const other = await login(gw2.url, u.username);
    const sockets = await Promise.all([openSocket(gw1.url, { token: u.token }), openSocket(gw2.url, { token: u.token })]);
    const otherSocket = await openSocket(gw2.url, { token: other });
    expect(await restStatuses(u.token)).toEqual([200, 200, 200, 200]);

    const out = await api(gw1.url, 'POST', '/api/v1/auth/logout', { token: u.token });
    expect(out.status).toBe(204);
    expect(await Promise.all(sockets.map((s) => closedWithin(s, 5000)))).toEqual([4401, 4401]);
    expect(await restStatuses(u.token)).toEqual([401, 401, 401, 401]);
    expect((await refusedUpgrade(gw2.url, { token: u.token })).status).toBe(401);
    expect((await api(gw2.url, 'POST', '/api/v1/auth/refresh', { token: u.token })).status).toBe(401);

    // The user's other session is untouched.
    expect(await restStatuses(other)).toEqual([200, 200, 200, 200]);
    expect(otherSocket.closedCode).toBeUndefined();
    otherSocket.close();
  });

  it('a password change refuses every earlier token on every instance and answers a working one', async () => {
    const u = await registerUser(gw1.url, 'passwd', PASSWORD);
    const second = await login(gw2.url, u.username);
    const sockets = await Promise.all([openSocket(gw1.url, { token: u.token }), openSocket(gw2.url, { token: second })]);

    const wrong = await api(gw1.url, 'PUT', '/api/v1/auth/password', { token: u.token, body: { current_password: 'not it at all', new_password: 'a new password' } });
    expect(wrong.status).toBe(401);
    const invalid = await api(gw1.url, 'PUT', '/api/v1/auth/password', { token: u.token, body: { current_password: PASSWORD, new_password: 'short' } });
    expect(invalid.status).toBe(400);
    expect(await restStatuses(second)).toEqual([200, 200, 200, 200]);

    const changed = await api(gw1.url, 'PUT', '/api/v1/auth/password', { token: u.token, body: { current_password: PASSWORD, new_password: 'a new password' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ token: expect.any(String), expires_at: expect.any(String) });
    expect(await Promise.all(sockets.map((s) => closedWithin(s, 5000)))).toEqual([4401, 4401]);
    for (const token of [u.token, second]) expect(await restStatuses(token)).toEqual([401, 401, 401, 401]);

    // The answer's token, and a login with the new password right away (on the other auth instance), work.
    expect(await restStatuses(changed.body.token)).toEqual([200, 200, 200, 200]);
    const fresh = await login(gw2.url, u.username, 'a new password');
    expect(await restStatuses(fresh)).toEqual([200, 200, 200, 200]);
    expect((await api(gw2.url, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: PASSWORD } })).status).toBe(401);
  });
});
