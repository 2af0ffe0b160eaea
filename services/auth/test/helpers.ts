import type { Logger } from 'pino';
import { createService, type AuthConfig } from '@chatroulette/auth';
import type { TestScope } from '@chatroulette/testing';

/** The service's config for one test file: its own database and NATS namespace, a random port. */
export function testConfig(scope: TestScope, overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
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
    presenceSweepMs: 100,
    ...overrides,
  };
}

export async function startAuth(cfg: AuthConfig, log?: Logger) {
  const service = createService(cfg, log ? { log } : {});
  try {
    const { port } = await service.start();
    return { base: `http://127.0.0.1:${port}`, destroy: service.destroy };
  } catch (e) {
    await service.destroy();
    throw e;
  }
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
  opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {},
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
/** A fresh valid username per call, so tests never collide. */
export function uniqueName(prefix = 'u'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`.slice(0, 32);
}

/** Polls until `check` returns true or `timeoutMs` passes; returns the last value of `read`. */
export async function waitFor<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
