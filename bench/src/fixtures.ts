import { randomBytes } from 'node:crypto';

/** A registered bench user. */
export interface BenchUser {
  id: string;
  username: string;
  token: string;
}

export interface BenchChat {
  id: string;
  users: BenchUser[];
}

async function postJson(base: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
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
      const r = await postJson(base, '/api/v1/auth/register', { username, password: 'bench-password-1' });
      if (r.status === 201) return { id: r.json.user.id as string, username, token: r.json.token as string };
      if (attempt >= 3 || (r.status !== 429 && r.status < 500)) {
        throw new Error(`register ${username}: ${r.status} ${JSON.stringify(r.json)}`);
      }
      await new Promise((res) => setTimeout(res, 200 * (attempt + 1)));
    }
  });
}

/** Creates a private chat owned by `owner` with `others`, through the gateway's REST. */
export async function createChat(base: string, owner: BenchUser, others: BenchUser[]): Promise<BenchChat> {
  const r = await postJson(base, '/api/v1/chats', { type: 'private', participant_ids: others.map((u) => u.id) }, owner.token);
  if (r.status !== 201 && r.status !== 200) throw new Error(`create chat: ${r.status} ${JSON.stringify(r.json)}`);
  return { id: r.json.id as string, users: [owner, ...others] };
}

/** Pairs users up into two-person chats. */
export function createPairChats(base: string, users: BenchUser[], concurrency = 32): Promise<BenchChat[]> {
  const pairs = Array.from({ length: Math.floor(users.length / 2) }, (_, i) => [users[2 * i]!, users[2 * i + 1]!] as const);
  return mapLimit(pairs, concurrency, ([a, b]) => createChat(base, a, [b]));
}

export { postJson };
