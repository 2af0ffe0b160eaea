import { once } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import WebSocket from 'ws';
import { createService as createAuth } from '@chatroulette/auth';
import { createService as createMessages } from '@chatroulette/messages';
import { createSubjects, type Subjects } from '@chatroulette/contracts';
import { generatePrivateKeyPem, loadSigningKey, signToken, type SigningKey } from '@chatroulette/tokens';
import { openPastUpgradeDrop, scopeConfig, serviceEnv, type TestScope } from '@chatroulette/testing';
import { configFromEnv, createService, type GatewayConfig } from '../src/service.js';

/** The gateway's config for one test file: the scope's NATS namespace, a free port. */
export function gatewayConfig(scope: TestScope, env: Record<string, string> = {}): GatewayConfig {
  // GATEWAY_TEST_LOG=debug shows the gateway's logs while debugging a test.
  const log: Record<string, string> = process.env.GATEWAY_TEST_LOG ? { LOG_LEVEL: process.env.GATEWAY_TEST_LOG } : {};
  return configFromEnv(serviceEnv(scope, 'gateway', { ...log, ...env }));
}

export async function startGateway(cfg: GatewayConfig) {
  const gateway = createService(cfg);
  const { port } = await gateway.start();
  return { gateway, port, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/api/v1/ws` };
}

/** Real auth (with a key the test holds, to forge expired tokens), optionally real messages, and a NATS client. */
export async function startStack(scope: TestScope, opts: { messages?: boolean } = {}) {
  const privateKeyPem = generatePrivateKeyPem();
  const key = loadSigningKey(privateKeyPem);
  const auth = createAuth({
    ...scopeConfig(scope, 'auth'),
    databasePoolSize: 5,
    passwordHashCost: 10,
    tokenTtlSeconds: 3600,
    privateKeyPem,
    presenceSweepMs: 1000,
  });
  const { port: authPort } = await auth.start();
  let messages: ReturnType<typeof createMessages> | undefined;
  let messagesPort: number | undefined;
  if (opts.messages) {
    messages = createMessages(scopeConfig(scope, 'messages'));
    messagesPort = (await messages.start()).port;
  }
  const nc = await connect({ servers: scope.natsUrl });
  const subjects = createSubjects(scope.namespace);
  return {
    key,
    nc,
    subjects,
    authUrl: `http://127.0.0.1:${authPort}`,
    messagesUrl: messagesPort ? `http://127.0.0.1:${messagesPort}` : undefined,
    async destroy() {
      await nc.drain().catch(() => undefined);
      await messages?.destroy();
      await auth.destroy();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export function tokenFor(key: SigningKey, user: { id: string; username: string }, ttlSeconds: number): string {
  return signToken(key, { sub: user.id, username: user.username }, ttlSeconds);
}

/** A ws client that records every text frame parsed as JSON. */
export interface Client {
  ws: WebSocket;
  frames: any[];
  /** Resolves with the first frame (already received or future) matching `pred`. */
  next(pred?: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  closed: Promise<{ code: number; reason: string }>;
  /** The close code once closed. */
  readonly closedCode: number | undefined;
}

/** Opens a socket as a client would, past the uWS build's drop right after an upgrade (openPastUpgradeDrop). */
export function openSocket(url: string, protocols?: string | string[]): Promise<Client> {
  return openPastUpgradeDrop(
    () => openSocketOnce(url, protocols),
    (client) => client.closedCode === 1006 && client.frames.length === 0,
  );
}

async function openSocketOnce(url: string, protocols?: string | string[]): Promise<Client> {
  const ws = new WebSocket(url, protocols);
  const frames: any[] = [];
  const waiters: { pred: (f: any) => boolean; resolve: (f: any) => void }[] = [];
  ws.on('message', (data, isBinary) => {
    const f = isBinary ? { binary: true } : JSON.parse(data.toString());
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  let closeInfo = '';
  ws.on('error', (e) => {
    closeInfo += ` (error ${e.message})`;
  });
  let closedCode: number | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      closedCode = code;
      closeInfo += ` (closed ${code} ${reason.toString()})`;
      resolve({ code, reason: reason.toString() });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
  });
  let seen = 0;
  return {
    ws,
    frames,
    closed,
    get closedCode() {
      return closedCode;
    },
    next(pred = () => true, timeoutMs = 10_000) {
      const found = frames.slice(seen).find(pred);
      if (found) {
        seen = frames.indexOf(found, seen) + 1;
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}${closeInfo}, state ${ws.readyState}`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (f) => {
            clearTimeout(timer);
            seen = frames.length;
            resolve(f);
          },
        });
      });
    },
  };
}

/** The upgrade's outcome: 101 (then closed) or the refusal's status and JSON body, as a ws client sees it. */
export function upgradeOutcome(url: string, protocols?: string[], options: WebSocket.ClientOptions = {}): Promise<{ status: number; body?: any }> {
  const ws = new WebSocket(url, protocols, options);
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101 });
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        ws.terminate();
      });
    });
    ws.once('error', () => undefined);
  });
}

/** The refused upgrade's status and JSON body; rejects when the upgrade is accepted. */
export async function refusedUpgrade(url: string, protocols?: string[]): Promise<{ status: number; body: any }> {
  const outcome = await upgradeOutcome(url, protocols);
  if (outcome.status === 101) throw new Error('the upgrade was accepted');
  return { status: outcome.status, body: outcome.body };
}

export async function closeClient(c: Client): Promise<void> {
  if (c.ws.readyState === WebSocket.CLOSED) return;
  c.ws.close();
  await once(c.ws, 'close').catch(() => undefined);
}

export type { NatsConnection, Subjects };
