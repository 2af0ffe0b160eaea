import { noteResponse } from './conformance/recorder.js';

export interface Answer<T = any> {
  /** 0 when the request never got an answer (only with `orStatus0`). */
  status: number;
  /** The body parsed as JSON; the text itself when it is not JSON; undefined when empty. */
  body: T;
  headers: Headers;
  /** Why there was no answer (status 0). */
  error?: string;
}

export interface ApiOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with the JSON content type (for malformed bodies). */
  raw?: string;
  /** A bearer token. */
  token?: string;
  headers?: Record<string, string>;
  /** Aborts the request after this long (default: no limit). */
  timeoutMs?: number;
  /**
   * A connection error or timeout answers status 0 instead of throwing: for clients that go on
   * through an outage (the fault tests' senders) and count what they got.
   */
  orStatus0?: boolean;
  /**
   * Why this answer is not checked against the OpenAPI document (conformance/setup.ts), e.g. a
   * stand-in upstream behind the gateway answers it. Every other answer is.
   */
  unchecked?: string;
}

/** fetch with a JSON body and an optional bearer token; the answer's body parsed as JSON. */
export async function api<T = any>(base: string, method: string, path: string, opts: ApiOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.body !== undefined ? JSON.stringify(opts.body) : opts.raw;
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const signal = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${base}${path}`, { method, headers, body, signal });
    text = await res.text();
  } catch (e) {
    if (!opts.orStatus0) throw e;
    return { status: 0, body: undefined as T, headers: new Headers(), error: (e as Error).message };
  }
  const parsed = parseJson(text);
  if (opts.unchecked === undefined) noteResponse({ method, url: res.url || `${base}${path}`, status: res.status, contentType: res.headers.get('content-type'), body: parsed });
  return { status: res.status, body: parsed as T, headers: res.headers };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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
export async function registerUser(base: string, prefix = 'u', password = 'correct horse battery'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const res = await api(base, 'POST', '/api/v1/auth/register', { body: { username, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, username, token: res.body.token };
}

/** `N` of a type, as a tuple (so `const [a, b] = ...` needs no checks). */
type Tuple<T, N extends number, Acc extends T[] = []> = Acc['length'] extends N ? Acc : Tuple<T, N, [...Acc, T]>;

/** `n` fresh users registered at once through `base`. */
export async function registerUsers<N extends number>(base: string, n: N, prefix = 'u'): Promise<Tuple<TestUser, N>> {
  return (await Promise.all(Array.from({ length: n }, () => registerUser(base, prefix)))) as Tuple<TestUser, N>;
}

/** A private chat of `owner` with `others`, made through `base`; its id. */
export async function createChat(base: string, owner: TestUser, others: TestUser[]): Promise<string> {
  const res = await api(base, 'POST', '/api/v1/chats', { token: owner.token, body: { type: 'private', participant_ids: others.map((u) => u.id) } });
  if (res.status !== 201) throw new Error(`create chat: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
