import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '@chatroulette/contracts';
import { registerUser, testScope } from '@chatroulette/testing';
import { gatewayConfig, openSocket, startGateway, startStack, type Stack } from './helpers.js';

const scope = testScope('gateway-slow');
let stack: Stack;
let gw: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  stack = await startStack(scope);
  gw = await startGateway(gatewayConfig(scope, { AUTH_URL: stack.authUrl, MAX_BACKPRESSURE_BYTES: String(64 * 1024) }));
});

afterAll(async () => {
  await gw?.gateway.destroy();
  await stack?.destroy();
});

describe('slow consumers', () => {
  it('closes a socket whose send buffer passes the limit with 4001 (reconnect with since)', async () => {
    const user = await registerUser(gw.http);
    const c = await openSocket(`${gw.ws}?token=${user.token}`);
    const other = await registerUser(gw.http);
    const healthy = await openSocket(`${gw.ws}?token=${other.token}`);
    // Stop reading: the kernel buffers fill, then the gateway's send buffer grows.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = JSON.stringify({ type: 'chatroulette_match', chat_id: user.id, payload: { pad: 'x'.repeat(16 * 1024) } });
    for (let i = 0; i < 2000; i++) {
      stack.nc.publish(stack.subjects.userEvent(user.id, 'chatroulette_match'), payload);
      if (i % 100 === 0) await stack.nc.flush();
    }
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await c.closed;
    expect(closed.code).toBe(closeCodes.slowConsumer);
    // Another user's socket, reading as it should, is untouched.
    healthy.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await healthy.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    healthy.ws.close();
  }, 20_000);
});
