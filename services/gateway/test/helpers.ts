import { once } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import WebSocket from 'ws';
import { createService as createAuth } from '@chatroulette/auth';
import { createService as createMessages } from '@chatroulette/messages';
import { createSubjects, type Subjects } from '@chatroulette/contracts';
import { generatePrivateKeyPem, loadSigningKey, signToken, type SigningKey } from '@chatroulette/tokens';
import type { TestScope } from '@chatroulette/testing';
import { configFromEnv, createService, type GatewayConfig } from '../src/service.js';

/** The gateway's config for one test file: the scope's NATS namespace, a free port. */
export function gatewayConfig(scope: TestScope, env: Record<string, string> = {}): GatewayConfig {
  return configFromEnv({
    NATS_URL: scope.natsUrl,
    NATS_NAMESPACE: scope.namespace,
    PORT: '0',
    // GATEWAY_TEST_LOG=debug shows the gateway's logs while debugging a test.
    LOG_LEVEL: process.env.GATEWAY_TEST_LOG ?? 'silent',
    ...env,
  });
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
    port: 0,
    natsUrl: scope.natsUrl,
    natsNamespace: scope.namespace,
    databaseUrl: scope.databaseUrl,
    databaseName: scope.database('auth'),
    databasePoolSize: 5,
    logLevel: 'silent',
    passwordHashCost: 10,
    tokenTtlSeconds: 3600,
    privateKeyPem,
    presenceSweepMs: 1000,
  });
  const { port: authPort } = await auth.start();
  let messages: ReturnType<typeof createMessages> | undefined;
  let messagesPort: number | undefined;
  if (opts.messages) {
    messages = createMessages({
      port: 0,
      natsUrl: scope.natsUrl,
      natsNamespace: scope.namespace,
      databaseUrl: scope.databaseUrl,
      databaseName: scope.database('messages'),
      logLevel: 'silent',
    });
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

let counter = 0;
export function uniqueName(prefix = 'g'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`.slice(0, 32);
}

export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the test sees the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Registers a user through `base` (the gateway or auth) and returns its id and token. */
export async function register(base: string): Promise<{ id: string; username: string; token: string }> {
  const username = uniqueName();
  const res = await api(base, 'POST', '/api/v1/auth/register', { body: { username, password: 'correct horse battery' } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, username, token: res.body.token };
}

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
}

export async function openSocket(url: string, protocols?: string | string[]): Promise<Client> {
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
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
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
    next(pred = () => true, timeoutMs = 5000) {
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

/** The refused upgrade's status and JSON body, as a ws client sees it. */
export async function refusedUpgrade(url: string, protocols?: string[]): Promise<{ status: number; body: any }> {
  const ws = new WebSocket(url, protocols);
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
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

export async function closeClient(c: Client): Promise<void> {
  if (c.ws.readyState === WebSocket.CLOSED) return;
  c.ws.close();
  await once(c.ws, 'close').catch(() => undefined);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type { NatsConnection, Subjects };
