import type { KV, KvEntry, NatsConnection } from 'nats';
import { jetStreamSetup } from '@chatroulette/nats';
import {
  retiredKey,
  revocationBucket,
  revokedToken,
  revokedUserTokens,
} from '@chatroulette/contracts';
import { TOKEN_MAX_LIFETIME_SECONDS } from './claims.js';
import type { VerifiedToken } from './verify.js';

/** What one bucket entry revokes, as the gateway closes sockets by it. */
export type Revocation =
  | { kind: 'token'; jti: string; userId: string }
  | { kind: 'user'; userId: string; validFrom: number }
  | { kind: 'key'; kid: string };

export interface RevocationList {
  /** True when a logout, a password change or a retired key refuses this (otherwise valid) token. */
  isRevoked(token: Pick<VerifiedToken, 'userId' | 'iat' | 'jti' | 'kid'>): boolean;
  /** Calls `fn` for each revocation learned from now on; returns the unsubscribe. */
  onRevoked(fn: (r: Revocation) => void): () => void;
  stop(): Promise<void>;
}

/**
 * The revocation bucket (created by whoever opens it first, with the same limits): one value per key,
 * each kept as long as a token can live, after which every token it could refuse has expired.
 * `replicas`: its copies on a NATS cluster (NATS_STREAM_REPLICAS), the same from every service.
 */
export function openRevocationBucket(nc: NatsConnection, namespace: string, replicas = 1): Promise<KV> {
  return jetStreamSetup(() => nc.jetstream().views.kv(revocationBucket(namespace), { history: 1, ttl: (TOKEN_MAX_LIFETIME_SECONDS + 60) * 1000, replicas }));
}

/** How often entries no token can match any more are forgotten. */
const SWEEP_MS = 60_000;
/** How long `createRevocationList` waits for the bucket's existing entries before it gives up. */
const INITIAL_LOAD_MS = 10_000;

/**
 * Every revocation in the bucket, kept in memory and in step with it: a KV watch delivers the existing
 * entries and then each new one within milliseconds, on every instance. Resolves once the existing
 * entries are in (so a service never starts accepting tokens revoked before it started); if the watch
 * ends (a JetStream outage), it is opened again and delivers everything anew.
 */
export async function createRevocationList(
  nc: NatsConnection,
  namespace: string,
  log?: { warn(o: object, m: string): void },
  replicas = 1,
): Promise<RevocationList> {
  const kv = await openRevocationBucket(nc, namespace, replicas);
  const tokens = new Map<string, number>(); // jti -> exp
  const users = new Map<string, number>(); // user id -> valid_from
  const keys = new Set<string>();
  const listeners = new Set<(r: Revocation) => void>();
  let stopped = false;
  let current: { stop(): void } | null = null;

  function apply(e: KvEntry): void {
    if (e.operation !== 'PUT') return;
    const parsed = parseEntry(e);
    if (!parsed) return log?.warn({ key: e.key }, 'unreadable revocation entry ignored');
    const r = parsed.revocation;
    if (r.kind === 'token') tokens.set(r.jti, parsed.exp);
    else if (r.kind === 'user') users.set(r.userId, Math.max(users.get(r.userId) ?? 0, r.validFrom));
    else keys.add(r.kid);
    for (const fn of listeners) fn(r);
  }

  async function watch(onLoaded: () => void): Promise<void> {
    while (!stopped) {
      try {
        const it = await kv.watch({ key: '>', initializedFn: onLoaded });
        current = it;
        for await (const e of it) apply(e);
      } catch (err) {
        log?.warn({ err: (err as Error).message }, 'revocation watch failed; watching again');
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the revocation bucket did not load in time')), INITIAL_LOAD_MS);
    void watch(() => {
      clearTimeout(timer);
      resolve();
    });
  });

  const sweep = setInterval(() => {
    const now = Date.now() / 1000;
    for (const [jti, exp] of tokens) if (exp < now) tokens.delete(jti);
    for (const [user, from] of users) if (from + TOKEN_MAX_LIFETIME_SECONDS < now) users.delete(user);
  }, SWEEP_MS);
  sweep.unref();

  return {
    isRevoked(t) {
      return tokens.has(t.jti) || t.iat < (users.get(t.userId) ?? 0) || keys.has(t.kid);
    },
    onRevoked(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      stopped = true;
      clearInterval(sweep);
      current?.stop();
    },
  };
}

/** An entry's revocation, and until when it matters (`exp`, for a single token). */
function parseEntry(e: KvEntry): { revocation: Revocation; exp: number } | null {
  const dot = e.key.indexOf('.');
  const kind = e.key.slice(0, dot);
  const id = e.key.slice(dot + 1);
  let value: unknown;
  try {
    value = e.json();
  } catch {
    return null;
  }
  if (kind === 'jti') {
    const v = revokedToken.safeParse(value);
    return v.success ? { revocation: { kind: 'token', jti: id, userId: v.data.user_id }, exp: v.data.exp } : null;
  }
  if (kind === 'user') {
    const v = revokedUserTokens.safeParse(value);
    return v.success ? { revocation: { kind: 'user', userId: id, validFrom: v.data.valid_from }, exp: Infinity } : null;
  }
  if (kind === 'kid') return retiredKey.safeParse(value).success ? { revocation: { kind: 'key', kid: id }, exp: Infinity } : null;
  return null;
}
