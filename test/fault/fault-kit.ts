import WebSocket from 'ws';
import { registerUser, sleep, type TestUser } from '@chatroulette/testing';
import type { Running, Stack } from '../kit/stack.js';

/** Statuses a sender retries: the service or its upstream was briefly not there. */
const RETRYABLE = new Set([502, 503, 504]);

/** A JSON request that never throws: a connection error is status 0. */
export async function call(
  baseUrl: string,
  user: TestUser | null,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<{ status: number; body: any; text: string; error?: string }> {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${user.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  } catch (e) {
    return { status: 0, body: undefined, text: '', error: (e as Error).message };
  }
}

/** Counts what the senders did. */
export class SendStats {
  posts = 0;
  retried = 0;
  created = 0;
  /** Statuses other than 201 and the retryable ones: each is a failure of the test. */
  unexpected: string[] = [];
}

/**
 * POSTs one message, retrying on a connection error, 502, 503 or 504 (bounded by `deadline`).
 * Every attempt carries the same client_message_id (the unique `content`), so a retry after a commit
 * whose answer was lost stores nothing new; callers count messages from the history.
 */
export async function sendWithRetry(
  baseUrl: string,
  user: TestUser,
  chatId: string,
  content: string,
  stats: SendStats,
  deadline: number,
): Promise<boolean> {
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (attempt > 0) stats.retried++;
    stats.posts++;
    const res = await call(baseUrl, user, 'POST', `/api/v1/chats/${chatId}/messages`, { type: 'text', content, client_message_id: content });
    if (res.status === 201) {
      stats.created++;
      return true;
    }
    if (res.status !== 0 && !RETRYABLE.has(res.status)) {
      stats.unexpected.push(`${res.status} ${res.text.slice(0, 200)}`);
      return false;
    }
    await sleep(Math.min(50 * 2 ** Math.min(attempt, 4), 500));
  }
  return false;
}

/** `count` messages, one after another, from `users` in turn, each with the content `<label><i>`. */
export async function sendInTurn(baseUrl: string, users: TestUser[], chatId: string, label: string, count: number, stats: SendStats, deadline: number) {
  for (let i = 0; i < count; i++) await sendWithRetry(baseUrl, users[i % users.length]!, chatId, `${label}${i}`, stats, deadline);
}

/**
 * One sending loop per entry of `users` (a user may appear twice: two loops), each posting
 * `<prefix><n>-<username>` (n counts over all loops) and pausing `pauseMs` between posts, until
 * stop() or the deadline; stop() resolves when every loop has finished its post in flight.
 */
export function startSenders(baseUrl: string, users: TestUser[], chatId: string, prefix: string, stats: SendStats, deadline: number, pauseMs = 0) {
  let stopped = false;
  let n = 0;
  const loops = users.map(async (user) => {
    while (!stopped && Date.now() < deadline) {
      await sendWithRetry(baseUrl, user, chatId, `${prefix}${n++}-${user.username}`, stats, deadline);
      if (pauseMs > 0) await sleep(pauseMs);
    }
  });
  return {
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** The whole history of a chat, oldest first (pages of 100 from the newest, by offset). */
export async function fullHistory(baseUrl: string, user: TestUser, chatId: string): Promise<any[]> {
  const pages: any[][] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await call(baseUrl, user, 'GET', `/api/v1/chats/${chatId}/messages?limit=100&offset=${offset}`);
    if (res.status !== 200) throw new Error(`history: ${res.status} ${res.text}`);
    pages.unshift(res.body as any[]);
    if ((res.body as any[]).length < 100) break;
  }
  return pages.flat();
}

/** GET /chats/{id} last_seq, retrying briefly through an outage. */
export async function lastSeq(baseUrl: string, user: TestUser, chatId: string): Promise<number> {
  for (let i = 0; ; i++) {
    const res = await call(baseUrl, user, 'GET', `/api/v1/chats/${chatId}`);
    if (res.status === 200) return res.body.last_seq as number;
    if (i > 50) throw new Error(`GET chat: ${res.status} ${res.text}`);
    await sleep(200);
  }
}

export async function createChat(baseUrl: string, a: TestUser, b: TestUser): Promise<string> {
  const res = await call(baseUrl, a, 'POST', '/api/v1/chats', { type: 'private', participant_ids: [b.id] });
  if (res.status !== 201) throw new Error(`create chat: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/**
 * A new chat of `a` and `b` (made through `baseUrl`) with a follower for each, connecting to the
 * gateway `port()` names at each attempt; resolves once both sockets are open.
 */
export async function followNewChat(baseUrl: string, a: TestUser, b: TestUser, port: () => number): Promise<{ chatId: string; followers: ChatFollower[] }> {
  const chatId = await createChat(baseUrl, a, b);
  const followers = [new ChatFollower(a, chatId, port), new ChatFollower(b, chatId, port)];
  await Promise.all(followers.map((f) => f.ready()));
  return { chatId, followers };
}

/**
 * One user's socket on one chat that reconnects with `since=<last seq seen>` whenever it drops,
 * to the gateway `port()` names at that moment. It checks the chat's events as they come:
 * each seq must be the last one + 1 (a lower one is a duplicate, a higher one a gap).
 */
export class ChatFollower {
  last = 0;
  /** Every frame with a seq, in arrival order. */
  readonly events: { seq: number; type: string; payload: any }[] = [];
  readonly recoveries: any[] = [];
  readonly closes: number[] = [];
  duplicates = 0;
  gaps = 0;
  reconnects = 0;
  refusedUpgrades = 0;
  private ws: WebSocket | undefined;
  private stopped = false;
  private opened: Promise<void>;

  constructor(
    readonly user: TestUser,
    readonly chatId: string,
    private readonly port: () => number,
    private readonly label = user.username,
  ) {
    this.opened = this.connect();
  }

  /** Resolves once the first connection is open. */
  ready(): Promise<void> {
    return this.opened;
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  private async connect(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; !this.stopped; attempt++) {
      if (Date.now() > deadline) throw new Error(`${this.label}: could not reconnect for 60 s`);
      try {
        await this.openOnce();
        return;
      } catch (e) {
        if ((e as { status?: number }).status) this.refusedUpgrades++;
        await sleep(Math.min(100 * (attempt + 1), 500));
      }
    }
  }

  private openOnce(): Promise<void> {
    const qs = new URLSearchParams({ token: this.user.token, chat_id: this.chatId, since: String(this.last) });
    const ws = new WebSocket(`ws://127.0.0.1:${this.port()}/api/v1/ws?${qs}`);
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', (e) => reject(e));
      ws.once('open', () => {
        this.ws = ws;
        ws.on('message', (data) => this.onFrame(JSON.parse(String(data))));
        ws.on('close', (code) => {
          this.closes.push(code);
          if (this.stopped) return;
          this.reconnects++;
          this.opened = this.connect();
        });
        ws.on('error', () => undefined);
        resolve();
      });
    });
  }

  private onFrame(f: any) {
    if (f.type === 'recovery') {
      this.recoveries.push(f);
      return;
    }
    if (typeof f.seq !== 'number') return;
    if (f.seq <= this.last) {
      this.duplicates++;
      return;
    }
    if (f.seq !== this.last + 1) this.gaps++;
    this.last = f.seq;
    this.events.push({ seq: f.seq, type: f.type, payload: f.payload });
  }

  /** Waits until this socket has seen seq `target` (bounded). */
  async waitForSeq(target: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.last < target) {
      if (Date.now() > deadline) throw new Error(`${this.label}: at seq ${this.last}, expected ${target} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** The ids of the messages of the new_message frames, in arrival order. */
  messageIds(): string[] {
    return this.events.filter((e) => e.type === 'new_message').map((e) => e.payload.id as string);
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }

  /** The socket dropped without reconnecting (for tests that move it by hand). */
  kill(): void {
    this.ws?.terminate();
  }
}

export interface Figures {
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  reordered: number;
}

/**
 * Compares what each socket got with the history: every history message once, in history order,
 * and every seq from 1 to `last` once. `sent` is the number of history messages; `received` sums
 * over sockets.
 */
export function compare(history: any[], followers: ChatFollower[], last: number): Figures {
  const expected = history.map((m) => m.id as string);
  let received = 0;
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  for (const f of followers) {
    const got = f.messageIds();
    received += got.length;
    const have = new Set(got);
    lost += expected.filter((c) => !have.has(c)).length;
    duplicated += f.duplicates + (got.length - have.size);
    const historyPos = new Map(expected.map((c, i) => [c, i]));
    let prev = -1;
    for (const c of got) {
      const pos = historyPos.get(c);
      if (pos === undefined) continue;
      if (pos < prev) reordered++;
      prev = Math.max(prev, pos);
    }
    // Seq contiguity: a gap counts as out of order, and every seq up to the chat's last must be there.
    reordered += f.gaps;
    lost += Math.max(0, last - f.events.length);
  }
  return { sent: expected.length, received, lost, duplicated, reordered };
}

/** One line of figures for the log and the write-up. */
export function report(name: string, figures: Figures, extra: Record<string, string | number>): string {
  const parts = Object.entries({ ...figures, ...extra }).map(([k, v]) => `${k}=${v}`);
  const line = `[fault:${name}] ${parts.join(' ')}`;
  process.stdout.write(`${line}\n`);
  return line;
}

/**
 * Waits until every follower has seen the chat's last seq and it stays put for `quietMs` (delivery
 * receipts add events after the last message); returns that seq. Bounded by `timeoutMs`.
 */
export async function settle(
  baseUrl: string,
  user: TestUser,
  chatId: string,
  followers: ChatFollower[],
  timeoutMs = 30_000,
  quietMs = 600,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await lastSeq(baseUrl, user, chatId);
    const left = deadline - Date.now();
    if (left <= 0) return last;
    await Promise.all(followers.map((f) => f.waitForSeq(last, left).catch(() => undefined)));
    await sleep(quietMs);
    if ((await lastSeq(baseUrl, user, chatId)) === last && followers.every((f) => f.last >= last)) return last;
    if (Date.now() > deadline) return last;
  }
}

/** The messages service's per-user send limit, lifted: these tests send as fast as they can. */
export const unlimitedSends = { RATE_MESSAGES_PER_SECOND: '1000000', RATE_MESSAGES_BURST: '1000000' };

/** Starts auth, messages and one gateway on `stack`, and registers ann and bob through the gateway. */
export async function startGatewayAndPair(stack: Stack): Promise<{ gw: Running; a: TestUser; b: TestUser }> {
  const [auth, messages] = await Promise.all([stack.auth(), stack.messages()]);
  const gw = await stack.gateway({ auth: [auth], messages: [messages] });
  const [a, b] = await Promise.all([registerUser(gw.url, 'ann'), registerUser(gw.url, 'bob')]);
  return { gw, a, b };
}
