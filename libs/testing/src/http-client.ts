export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with the JSON content type (for malformed bodies). */
  raw?: string;
  /** A bearer token. */
  token?: string;
  headers?: Record<string, string>;
}

/** fetch with a JSON body and an optional bearer token; the answer's body parsed as JSON. */
export async function api<T = any>(base: string, method: string, path: string, opts: ApiOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.body !== undefined ? JSON.stringify(opts.body) : opts.raw;
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

let counter = 0;
/** A fresh valid username per call (at most 32 characters), so tests and processes never collide. */
export function uniqueName(prefix = 'u'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 32);
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

/** Registers a fresh user through `base` (the gateway or auth) and returns its id, name and token. */
export async function registerUser(base: string, prefix = 'u'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const res = await api(base, 'POST', '/api/v1/auth/register', { body: { username, password: 'correct horse battery' } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, username, token: res.body.token };
}
