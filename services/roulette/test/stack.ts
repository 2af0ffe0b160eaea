import { createService as createAuth } from '@chatroulette/auth';
import { createService as createMessages } from '@chatroulette/messages';
import { createSubjects } from '@chatroulette/contracts';
import type { TestScope } from '@chatroulette/testing';
import { pino } from 'pino';
import { connectNats, drainNats, type NatsConnection } from '@chatroulette/nats';
import { createService as createRoulette, type RouletteConfig } from '../src/service.js';

export interface Answer<T = any> {
  status: number;
  body: T;
}

/** fetch with a JSON body and an optional bearer token; the answer's body parsed as JSON. */
export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; raw?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.body !== undefined ? JSON.stringify(opts.body) : opts.raw;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function rouletteConfig(scope: TestScope, overrides: Partial<RouletteConfig> = {}): RouletteConfig {
  return {
    port: 0,
    natsUrl: scope.natsUrl,
    natsNamespace: scope.namespace,
    databaseUrl: scope.databaseUrl,
    databaseName: scope.database('roulette'),
    databasePoolSize: 10,
    logLevel: 'silent',
    graceMs: 15_000,
    skipCooldownMs: 300_000,
    interestWaitMs: 5000,
    graceLoopMs: 50,
    matcherLoopMs: 100,
    relayLoopMs: 100,
    retryAfterMs: 5000,
    ...overrides,
  };
}

/** Real auth + messages + N roulette instances on one database, and a NATS connection for the test. */
export async function startStack(scope: TestScope, opts: { roulette?: Partial<RouletteConfig>; instances?: number } = {}) {
  const stoppers: Array<() => Promise<void>> = [];
  const destroy = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const auth = createAuth({
      port: 0,
      natsUrl: scope.natsUrl,
      natsNamespace: scope.namespace,
      databaseUrl: scope.databaseUrl,
      databaseName: scope.database('auth'),
      databasePoolSize: 10,
      logLevel: 'silent',
      passwordHashCost: 10,
      tokenTtlSeconds: 3600,
      privateKeyPem: undefined,
      presenceSweepMs: 60_000,
    });
    stoppers.push(auth.destroy);
    const authPort = (await auth.start()).port;

    const messages = createMessages({
      port: 0,
      natsUrl: scope.natsUrl,
      natsNamespace: scope.namespace,
      databaseUrl: scope.databaseUrl,
      databaseName: scope.database('messages'),
      logLevel: 'silent',
    });
    stoppers.push(messages.destroy);
    const messagesPort = (await messages.start()).port;

    const roulettes: string[] = [];
    for (let i = 0; i < (opts.instances ?? 1); i++) {
      const r = createRoulette(rouletteConfig(scope, opts.roulette));
      stoppers.push(r.destroy);
      roulettes.push(`http://127.0.0.1:${(await r.start()).port}`);
    }

    const nc: NatsConnection = await connectNats({ url: scope.natsUrl, name: 'roulette-test', log: pino({ level: 'silent' }) });
    stoppers.push(() => drainNats(nc));

    return {
      auth: `http://127.0.0.1:${authPort}`,
      messages: `http://127.0.0.1:${messagesPort}`,
      roulette: roulettes[0]!,
      roulettes,
      nc,
      subjects: createSubjects(scope.namespace),
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

let counter = 0;
export function uniqueName(prefix = 'r'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 32);
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

export async function register(stack: Stack, prefix = 'r'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const res = await api(stack.auth, 'POST', '/api/v1/auth/register', { body: { username, password: 'password123' } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, username, token: res.body.token };
}

/** Collects JSON messages published on a subject (wildcards allowed) from now on. */
export function collect(nc: NatsConnection, subject: string) {
  const items: Array<{ subject: string; body: any }> = [];
  const sub = nc.subscribe(subject, {
    callback: (_err, msg) => {
      items.push({ subject: msg.subject, body: JSON.parse(new TextDecoder().decode(msg.data)) });
    },
  });
  return {
    items,
    async waitFor(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count && Date.now() < deadline) await sleep(20);
      return items;
    },
    stop: () => sub.unsubscribe(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds or the time is up; returns the last value read. */
export async function waitFor<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await sleep(30);
    value = await read();
  }
  return value;
}
