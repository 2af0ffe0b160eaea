import { createRequire } from 'node:module';
import { StorageType, type KV, type NatsConnection, type NatsError } from 'nats';
import { RateLimiterRes, type RateLimiterStoreAbstract as StoreAbstract } from 'rate-limiter-flexible';
import { jetStreamSetup } from '@chatroulette/nats';
import type { BudgetStore } from './budget.js';

// The base class of custom stores is typed by the package but not exported from its entry point.
const RateLimiterStoreAbstract: typeof StoreAbstract = createRequire(import.meta.url)('rate-limiter-flexible/lib/RateLimiterStoreAbstract.js');

/** What a key holds: points spent in the window that ends at `expire` (ms since the epoch; null: never). */
interface Stored {
  points: number;
  expire: number | null;
}

/** Attempts of one read-modify-write before the consume counts as a store failure. */
const maxAttempts = 100;

/** The longest one KV call may take before the consume counts as a store failure (then this instance decides). */
const kvTimeoutMs = 1000;

/** JetStream's "wrong last sequence": another instance wrote the key since we read it. */
const wrongLastSequence = 10071;

/**
 * rate-limiter-flexible's store on a JetStream KV bucket: each consume reads the key and writes it
 * back with `update(key, value, revision)`, which JetStream refuses when someone wrote in between;
 * the loser reads again. A key already over its budget is answered from the read, without a write,
 * so a flood of refused requests costs one read each and does not contend. Entries end with the
 * bucket's max age (nats-server 2.9 has no per-key TTL), so every window must fit in it.
 */
export class KvRateLimiter extends RateLimiterStoreAbstract {
  private readonly kv: KV;
  private readonly connected: () => boolean;

  constructor(opts: ConstructorParameters<typeof RateLimiterStoreAbstract>[0] & { storeClient: KV; connected?: () => boolean }) {
    super(opts);
    this.kv = opts.storeClient;
    this.connected = opts.connected ?? (() => true);
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Stored> {
    // While NATS is away a KV call would wait for its timeout; the insurance limiter answers at once.
    if (!this.connected()) throw new Error('budget store: NATS is disconnected');
    const key = kvKey(rlKey);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const now = Date.now();
      const entry = await this.kv.get(key);
      const live = entry?.operation === 'PUT' ? decode(entry.value) : null;
      const fresh: Stored = { points, expire: msDuration > 0 ? now + msDuration : null };
      const current = live && (live.expire === null || live.expire > now) ? live : null;
      if (!forceExpire && current && points > 0 && current.points >= this.points) {
        // Refused whatever the others do: no need to write.
        return { points: current.points + points, expire: current.expire };
      }
      const next = forceExpire || !current ? fresh : { points: current.points + points, expire: current.expire };
      try {
        if (entry) await this.kv.update(key, encode(next), entry.revision);
        else await this.kv.create(key, encode(next));
        return next;
      } catch (e) {
        if ((e as NatsError).api_error?.err_code !== wrongLastSequence) throw e;
        // Spread the losers out a little so the next round has fewer of them.
        if (attempt > 2) await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, attempt)));
      }
    }
    throw new Error(`budget key ${rlKey}: no write won in ${maxAttempts} attempts`);
  }

  async _get(rlKey: string): Promise<Stored | null> {
    const entry = await this.kv.get(kvKey(rlKey));
    const live = entry?.operation === 'PUT' ? decode(entry.value) : null;
    return live && (live.expire === null || live.expire > Date.now()) ? live : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    const key = kvKey(rlKey);
    const had = (await this.kv.get(key))?.operation === 'PUT';
    await this.kv.delete(key);
    return had;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, stored: Stored): RateLimiterRes {
    const isFirstInDuration = changedPoints === stored.points;
    return new RateLimiterRes(
      Math.max(this.points - stored.points, 0),
      stored.expire === null ? -1 : Math.max(stored.expire - Date.now(), 0),
      stored.points,
      isFirstInDuration,
    );
  }
}

/** KV keys allow [-/_=.A-Za-z0-9]; everything else (the prefix's ':', an IPv6 address's) is escaped as =XX. */
export function kvKey(rlKey: string): string {
  return rlKey.replace(/[^A-Za-z0-9_-]/g, (c) => `=${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function encode(s: Stored): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(s));
}

function decode(data: Uint8Array): Stored | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(data)) as Stored;
    return typeof v.points === 'number' ? v : null;
  } catch {
    return null;
  }
}

export interface KvBudgetStoreOptions {
  /** The bucket (libs/contracts' subjects.budgetsBucket). */
  bucket: string;
  /** How long a key outlives its last write: at least the longest window. */
  maxAgeSeconds: number;
  /** Copies on a NATS cluster, where the server serializes conditional writes on them (casSafeReplicas). */
  replicas?: number;
  /** Told when the server's version makes the bucket keep fewer copies than asked. */
  log?: { warn(o: object, m: string): void };
}

/**
 * The copies a budgets bucket may have on a server of `version`. Before 2.9.21 nats-server checked a
 * conditional write (`update` with a revision) on a replicated stream only before proposing it, so
 * concurrent updates of one key made with the same revision could all succeed (nats-server issue
 * 4320): a budget on such a bucket let every one of a burst of concurrent requests through (measured:
 * 12 of 12 socket upgrades against a budget of 5, on 2.9.10 with 3 copies). With one copy its
 * leader decides alone, so such a server gets one.
 */
export function casSafeReplicas(version: string | undefined, wanted: number): number {
  if (wanted <= 1) return wanted;
  const [major = 0, minor = 0, patch = 0] = (version ?? '').split('.').map((n) => Number.parseInt(n, 10) || 0);
  const serialized = major > 2 || (major === 2 && (minor > 9 || (minor === 9 && patch >= 21)));
  return serialized ? wanted : 1;
}

/**
 * Opens (creating when missing) the KV bucket and returns the store. The bucket is in memory: a
 * budget is worth less than the disk writes, and a NATS restart only forgets windows in progress.
 */
export async function kvBudgetStore(nc: NatsConnection, opts: KvBudgetStoreOptions): Promise<BudgetStore> {
  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') connected = false;
      else if (s.type === 'reconnect') connected = true;
    }
  })().catch(() => undefined);
  const version = nc.info?.version;
  const replicas = casSafeReplicas(version, opts.replicas ?? 1);
  if (replicas < (opts.replicas ?? 1)) opts.log?.warn({ bucket: opts.bucket, natsServer: version, replicas }, 'budgets bucket with one copy: this nats-server does not serialize conditional writes on replicated streams before 2.9.21');
  // A budget is asked before a request goes on: a slow store must not hold it long.
  const kv = await jetStreamSetup(() =>
    nc.jetstream({ timeout: kvTimeoutMs }).views.kv(opts.bucket, {
      history: 1,
      ttl: opts.maxAgeSeconds * 1000,
      storage: StorageType.Memory,
      replicas,
    }),
  );
  return {
    kind: 'nats-kv',
    maxWindowSeconds: opts.maxAgeSeconds,
    limiter: (o) => new KvRateLimiter({ ...o, storeClient: kv, connected: () => connected && !nc.isClosed() }),
  };
}
