import WebSocket from 'ws';

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

let counter = 0;

/** Registers a fresh user through `baseUrl` (the gateway or auth) and returns its id and token. */
export async function registerUser(baseUrl: string, prefix = 'user'): Promise<TestUser> {
  const username = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.slice(0, 32);
  const res = await fetch(`${baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'correct horse battery' }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string; username: string }; token: string };
  return { id: body.user.id, username: body.user.username, token: body.token };
}

/** JSON over HTTP with a bearer token; returns status and parsed body. */
export async function api<T = any>(
  baseUrl: string,
  user: TestUser | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${user.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A socket that records every frame it receives, with helpers to wait for frames. */
export class FrameLog {
  readonly frames: any[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  closed: { code: number; reason: string } | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  private wake() {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  /** Waits until `count` frames match `pred` (bounded), then returns them. */
  async waitFor(pred: (f: any) => boolean, count = 1, timeoutMs = 10_000): Promise<any[]> {
    const matching = () => this.frames.filter(pred);
    if (matching().length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${count} frames; have ${matching().length}: ${JSON.stringify(this.frames.slice(-5))}`)),
          timeoutMs,
        );
        this.waiters.push({ check: () => matching().length >= count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return matching();
  }

  ofType(type: string) {
    return this.frames.filter((f) => f.type === type);
  }

  close() {
    this.ws.close();
  }
}

/** Opens a socket to the gateway; rejects with the HTTP status when the upgrade is refused. */
export function openSocket(gatewayPort: number, query: Record<string, string | undefined>): Promise<FrameLog> {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
  const ws = new WebSocket(`ws://127.0.0.1:${gatewayPort}/api/v1/ws?${qs}`);
  const log = new FrameLog(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(log));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}
