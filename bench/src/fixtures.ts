import { randomBytes } from 'node:crypto';
import { api, type TestUser } from '@chatroulette/testing';

/** A registered bench user. */
export type BenchUser = TestUser;

export interface BenchChat {
  id: string;
  users: BenchUser[];
}

/** Runs `fn` over `items` with at most `concurrency` at once, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

const run = randomBytes(3).toString('hex');
let counter = 0;

/** Registers `n` users through the gateway's REST (auth behind it). */
export async function registerUsers(base: string, n: number, concurrency = 32): Promise<BenchUser[]> {
  return mapLimit(Array.from({ length: n }), concurrency, async () => {
    const username = `b${run}_${(counter++).toString(36)}`;
    for (let attempt = 0; ; attempt++) {
      const r = await api(base, 'POST', '/api/v1/auth/register', { body: { username, password: 'bench-password-1' } });
      if (r.status === 201) return { id: r.body.user.id as string, username, token: r.body.token as string };
      if (attempt >= 3 || (r.status !== 429 && r.status < 500)) {
        throw new Error(`register ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      await new Promise((res) => setTimeout(res, 200 * (attempt + 1)));
    }
  });
}

/** Creates a private chat owned by `owner` with `others`, through the gateway's REST. */
export async function createChat(base: string, owner: BenchUser, others: BenchUser[]): Promise<BenchChat> {
  const r = await api(base, 'POST', '/api/v1/chats', { token: owner.token, body: { type: 'private', participant_ids: others.map((u) => u.id) } });
  if (r.status !== 201 && r.status !== 200) throw new Error(`create chat: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id as string, users: [owner, ...others] };
}

/** Pairs users up into two-person chats. */
export function createPairChats(base: string, users: BenchUser[], concurrency = 32): Promise<BenchChat[]> {
  const pairs = Array.from({ length: Math.floor(users.length / 2) }, (_, i) => [users[2 * i]!, users[2 * i + 1]!] as const);
  return mapLimit(pairs, concurrency, ([a, b]) => createChat(base, a, [b]));
}
