import { connect, type Msg, type NatsConnection } from 'nats';
import { createService as createAuth } from '@chatroulette/auth';
import { createSubjects, type Subjects } from '@chatroulette/contracts';
import type { TestScope } from '@chatroulette/testing';
import { createService, type MessagesConfig } from '../src/service.js';

export function messagesConfig(scope: TestScope, overrides: Partial<MessagesConfig> = {}): MessagesConfig {
  return {
    port: 0,
    natsUrl: scope.natsUrl,
    natsNamespace: scope.namespace,
    databaseUrl: scope.databaseUrl,
    databaseName: scope.database('messages'),
    databasePoolSize: 10,
    logLevel: 'silent',
    ...overrides,
  };
}

export async function startMessages(cfg: MessagesConfig) {
  const service = createService(cfg);
  try {
    const { port } = await service.start();
    return { base: `http://127.0.0.1:${port}`, destroy: service.destroy };
  } catch (e) {
    await service.destroy();
    throw e;
  }
}

/** The real auth service (to register users and sign tokens) and messages, plus a test NATS client. */
export async function startStack(scope: TestScope, overrides: Partial<MessagesConfig> = {}) {
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
    privateKeyPem: undefined,
    presenceSweepMs: 1000,
  });
  const { port: authPort } = await auth.start();
  const messages = await startMessages(messagesConfig(scope, overrides));
  const nc = await connect({ servers: scope.natsUrl });
  const subjects = createSubjects(scope.namespace);
  return {
    authBase: `http://127.0.0.1:${authPort}`,
    base: messages.base,
    nc,
    subjects,
    stopMessages: messages.destroy,
    async destroy() {
      await nc.drain().catch(() => undefined);
      await messages.destroy();
      await auth.destroy();
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
}

/** fetch with a JSON body and an optional bearer token; the answer's body parsed as JSON. */
export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;
export function uniqueName(prefix = 'm'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 32);
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

export async function register(authBase: string, prefix = 'm'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const res = await api(authBase, 'POST', '/api/v1/auth/register', { body: { username, password: 'correct horse 1' } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, username, token: res.body.token };
}

export interface SeenEvent {
  subject: string;
  frame: any;
  raw: string;
  headers: Record<string, string>;
}

/** Collects every event published on a subject (core NATS sees each JetStream publish). */
export async function collect(nc: NatsConnection, subject: string) {
  const seen: SeenEvent[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_err, msg: Msg) => {
      const raw = new TextDecoder().decode(msg.data);
      const headers: Record<string, string> = {};
      for (const k of msg.headers?.keys() ?? []) headers[k] = msg.headers!.get(k);
      seen.push({ subject: msg.subject, frame: JSON.parse(raw), raw, headers });
    },
  });
  await nc.flush();
  return {
    seen,
    async waitFor(n: number, timeoutMs = 5000): Promise<SeenEvent[]> {
      const until = Date.now() + timeoutMs;
      while (seen.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} events on ${subject}, saw ${seen.length}`);
        await sleep(20);
      }
      return seen;
    },
    stop: () => sub.unsubscribe(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Stack = Awaited<ReturnType<typeof startStack>>;
export type { Subjects };
