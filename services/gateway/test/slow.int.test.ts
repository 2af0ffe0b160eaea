import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '@chatroulette/contracts';
import type { NatsConnection } from 'nats';
import type { Subjects } from '@chatroulette/contracts';
import { openSocket, registerUser, startStack, testScope, type Stack } from '@chatroulette/testing';
import { metricValue, natsOf, startGatewayWithStats } from './helpers.js';

const scope = testScope('gateway-slow');
let stack: Stack;
/** Its slow-consumer count is read. */
let gw: Awaited<ReturnType<typeof startGatewayWithStats>>;
let nc: NatsConnection;
let subjects: Subjects;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth'] });
  gw = await startGatewayWithStats(stack, scope, { MAX_BACKPRESSURE_BYTES: String(64 * 1024) });
  ({ nc, subjects } = await natsOf(scope));
});

afterAll(async () => {
  await nc?.drain().catch(() => undefined);
  await gw?.stop();
  await stack?.destroy();
});

describe('slow consumers', () => {
  it('closes a socket whose send buffer passes the limit with 4001 (reconnect with since)', async () => {
    const user = await registerUser(gw.url);
    // It gets oversized frames forged on NATS, not the API's.
    const c = await openSocket(gw.url, { token: user.token }, { unchecked: 'frames forged on NATS' });
    const other = await registerUser(gw.url);
    const healthy = await openSocket(gw.url, { token: other.token });
    // Stop reading: the kernel buffers fill, then the gateway's send buffer grows.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = JSON.stringify({ type: 'chatroulette_match', chat_id: user.id, payload: { pad: 'x'.repeat(16 * 1024) } });
    for (let i = 0; i < 2000; i++) {
      nc.publish(subjects.userEvent(user.id, 'chatroulette_match'), payload);
      if (i % 100 === 0) await nc.flush();
    }
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await c.closed;
    expect(closed.code).toBe(closeCodes.slowConsumer);
    expect(await metricValue(gw.metricsUrl, 'chatroulette_ws_slow_consumers_closed_total')).toBe(1);
    // Another user's socket, reading as it should, is untouched.
    healthy.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await healthy.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    healthy.ws.close();
  }, 20_000);
});
