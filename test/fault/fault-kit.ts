import { api, ChatFollower, createChat, registerUser, sleep, startStack, type Instance, type Stack, type StackInfra, type TestUser } from '@chatroulette/testing';

/** Statuses a sender retries: the service or its upstream was briefly not there. */
const RETRYABLE = new Set([502, 503, 504]);

/** The senders' requests: bounded, and a connection error is status 0 (retried) instead of a throw. */
const untilAnswered = { timeoutMs: 10_000, orStatus0: true };

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
    const res = await api(baseUrl, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content, client_message_id: content }, ...untilAnswered });
    if (res.status === 201) {
      stats.created++;
      return true;
    }
    if (res.status !== 0 && !RETRYABLE.has(res.status)) {
      stats.unexpected.push(`${res.status} ${String(JSON.stringify(res.body)).slice(0, 200)}`);
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
    const res = await api(baseUrl, 'GET', `/api/v1/chats/${chatId}/messages?limit=100&offset=${offset}`, { token: user.token, ...untilAnswered });
    if (res.status !== 200) throw new Error(`history: ${res.status} ${JSON.stringify(res.body)}`);
    pages.unshift(res.body as any[]);
    if ((res.body as any[]).length < 100) break;
  }
  return pages.flat();
}

/** GET /chats/{id} last_seq, retrying briefly through an outage. */
export async function lastSeq(baseUrl: string, user: TestUser, chatId: string): Promise<number> {
  for (let i = 0; ; i++) {
    const res = await api(baseUrl, 'GET', `/api/v1/chats/${chatId}`, { token: user.token, ...untilAnswered });
    if (res.status === 200) return res.body.last_seq as number;
    if (i > 50) throw new Error(`GET chat: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(200);
  }
}

/**
 * A new chat of `a` and `b` (made through `baseUrl`) with a follower for each, connecting to the
 * gateway `gateway()` names (its URL) at each attempt; resolves once both sockets are open.
 */
export async function followNewChat(baseUrl: string, a: TestUser, b: TestUser, gateway: () => string): Promise<{ chatId: string; followers: ChatFollower[] }> {
  const chatId = await createChat(baseUrl, a, [b]);
  const followers = [new ChatFollower(a, chatId, gateway), new ChatFollower(b, chatId, gateway)];
  await Promise.all(followers.map((f) => f.ready()));
  return { chatId, followers };
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

/**
 * Starts auth, messages (sends unlimited) and one gateway in this process on `infra`, and registers
 * ann and bob through the gateway.
 */
export async function startGatewayAndPair(infra: StackInfra): Promise<{ stack: Stack; gw: Instance; a: TestUser; b: TestUser }> {
  const stack = await startStack({ infra, env: { messages: unlimitedSends }, instances: [['auth', 'messages'], 'gateway'] });
  const gw = stack.get('gateway');
  const [a, b] = await Promise.all([registerUser(gw.url, 'ann'), registerUser(gw.url, 'bob')]).catch(async (e) => {
    await stack.destroy();
    throw e;
  });
  return { stack, gw, a, b };
}
