import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import WebSocket from 'ws';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { Broker } from '../broker/broker.js';
import type { Membership } from '../clients/membership.js';
import type { LiveChats } from '../live/chats.js';
import { uws, type TemplatedApp, type us_listen_socket } from '../transport/load-uws.js';
import { parseNetworks } from '@chatroulette/http/ip';
import { createGatewayMetrics } from '../ops/metrics.js';
import { KeyedSlots } from '../transport/keyed-slots.js';
import { createUpgradeHandler } from './upgrade.js';
import type { SocketData } from './socket-data.js';

/**
 * The uWS build's drop after an asynchronous upgrade, made deterministic (services/gateway/README.md,
 * "uWS cork bug"). When upgrade() runs inside HttpResponse::cork(), cork() afterwards reads
 * HttpResponseData::state through the socket's old pointer: upgrade() shrank the socket in place
 * (realloc 288 -> 200 bytes), so that field now lies in the 96-byte chunk glibc split off and freed.
 * Any native allocation of 73-88 bytes in the open handler gets that chunk (here an 80-byte Buffer;
 * in the gateway a uWS topic, a Node buffer, ...); if it leaves 0x10 (HTTP_CONNECTION_CLOSE) at the
 * field, cork() shuts the fresh WebSocket down (bare FIN, the client sees 1006).
 * Only the token path is exercised: without chat_id it needs neither NATS nor messages.
 */
const opens = 200;
let app: TemplatedApp;
let listen: us_listen_socket;
let port: number;
const held: Buffer[] = [];

beforeAll(async () => {
  const verify = (async (token: string) => {
    await new Promise((resolve) => setImmediate(resolve));
    return { userId: token, username: token, exp: Math.floor(Date.now() / 1000) + 3600 };
  }) as TokenVerifier;
  const broker = { userEventsReady: async () => undefined } as unknown as Broker;
  app = uws.App().ws<SocketData>('/api/v1/ws', {
    upgrade: createUpgradeHandler({
      verify,
      broker,
      membership: undefined as unknown as Membership,
      liveChats: undefined as unknown as LiveChats,
      log: pino({ level: 'silent' }),
      stopping: () => false,
      allowedOrigins: null,
      metrics: createGatewayMetrics(),
      trustedProxies: parseNetworks(''),
      pendingAuth: new KeyedSlots(0),
      userSockets: new KeyedSlots(0),
      budgets: { admit: async () => undefined },
      blocks: { acquire: async () => undefined, release: () => undefined },
    }),
    open() {
      // The chunk the shrinking realloc freed is the next one malloc hands out for 73-88 bytes.
      const buffer = Buffer.allocUnsafeSlow(80).fill(0);
      buffer.writeInt32LE(0x10, 36);
      held.push(buffer);
    },
  });
  await new Promise<void>((resolve, reject) =>
    app.listen('127.0.0.1', 0, (socket) => {
      if (!socket) return reject(new Error('listen failed'));
      listen = socket;
      port = uws.us_socket_local_port(socket);
      resolve();
    }),
  );
});

afterAll(() => {
  if (listen) uws.us_listen_socket_close(listen);
});

function openOnce(i: number): Promise<'ok' | 'dropped' | 'other'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?token=user${i}`);
    let closing = false;
    ws.on('error', () => undefined);
    ws.once('unexpected-response', () => resolve('other'));
    ws.once('open', () =>
      setTimeout(() => {
        closing = true;
        ws.close();
      }, 5),
    );
    ws.once('close', (code) => resolve(closing ? 'ok' : code === 1006 ? 'dropped' : 'other'));
  });
}

describe('asynchronous upgrade', () => {
  it('does not close the fresh socket whatever the open handler allocates', async () => {
    const counts = { ok: 0, dropped: 0, other: 0 };
    for (let i = 0; i < opens; i++) counts[await openOnce(i)]++;
    console.log(`asynchronous upgrade with an 80-byte allocation in open: ${opens} opens, dropped ${counts.dropped}, ok ${counts.ok}, other ${counts.other}`);
    expect(counts).toEqual({ ok: opens, dropped: 0, other: 0 });
  });
});
