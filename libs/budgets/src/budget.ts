import type { Logger } from 'pino';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * How much of one thing a key (a user, an address) may do: `points` per window of `perSeconds`,
 * counted in a fixed window that starts at the key's first use. `burst` (≥ points) lets a quiet key
 * spend up to `burst` at once: the extra `burst - points` come from a second, longer window.
 */
export interface BudgetRule {
  points: number;
  perSeconds: number;
  burst?: number;
  /**
   * Points this instance takes from the store at once and spends locally (default 1: every consume
   * asks the store). For budgets asked on every request (per address at the gateway), so the store
   * sees one write per `lease` requests. The total over every instance still never passes `points`;
   * a lease left unspent when its window ends is lost, so an instance allows up to `lease - 1` fewer.
   * Not combined with `burst`.
   */
  lease?: number;
}

export type Spent = { ok: true } | { ok: false; retryAfterMs: number };

/** One budget, shared by every instance that uses the same store and name. */
export interface Budget {
  readonly name: string;
  /** Spends one point of `key`'s budget, or says how long until there is one again. */
  consume(key: string): Promise<Spent>;
}

/** What a store gives a budget: a limiter over the shared store for one key prefix and window. */
export type StoreLimiter = (opts: { keyPrefix: string; points: number; duration: number; insuranceLimiter: RateLimiterAbstract }) => RateLimiterAbstract;

export interface BudgetStore {
  /** Short word for logs and metrics ('postgres', 'nats-kv'). */
  readonly kind: string;
  /** The longest window the store keeps (the KV bucket's max age), in seconds; Infinity when unbounded. */
  readonly maxWindowSeconds: number;
  limiter: StoreLimiter;
}

/** Counted by the service: refusals, and consumes the store could not answer. */
export interface BudgetHooks {
  refused?: (budget: string) => void;
  storeError?: (budget: string) => void;
}

export interface BudgetsOptions {
  store: BudgetStore;
  log: Logger;
  hooks?: BudgetHooks;
  /** One warning per budget per this many ms while its store fails (default 10 s). */
  warnEveryMs?: number;
}

/**
 * Makes budgets on one store. When the store cannot answer (PostgreSQL or NATS down), a budget
 * falls back to a budget of the same rule in this process's memory (rate-limiter-flexible's
 * insurance limiter): the product keeps working, each instance then allows the rule on its own,
 * and the failure is logged and counted (`storeError`).
 */
export function createBudgets(opts: BudgetsOptions) {
  const { store, log, hooks = {} } = opts;
  const warnEveryMs = opts.warnEveryMs ?? 10_000;

  return function budget(name: string, rule: BudgetRule): Budget {
    if (!/^[a-z0-9_-]+$/.test(name)) throw new Error(`budget name ${name}: lowercase letters, digits, _ and - only`);
    const burst = Math.max(rule.points, rule.burst ?? rule.points);
    // The burst window refills the extra points at the sustained rate: burst/points windows long.
    const burstSeconds = rule.perSeconds * Math.ceil(burst / rule.points);
    if (Math.max(rule.perSeconds, burstSeconds) > store.maxWindowSeconds) {
      throw new Error(`budget ${name}: a window of ${burstSeconds} s is longer than the ${store.kind} store keeps (${store.maxWindowSeconds} s)`);
    }
    let lastWarn = -Infinity;
    const insured = (keyPrefix: string, points: number, duration: number) => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      const wrapped = wrapInsurance(memory, () => {
        hooks.storeError?.(name);
        const now = Date.now();
        if (now - lastWarn >= warnEveryMs) {
          lastWarn = now;
          log.warn({ budget: name, store: store.kind }, 'budget store unavailable: counting in this instance only');
        }
      });
      return store.limiter({ keyPrefix, points, duration, insuranceLimiter: wrapped });
    };
    const refuse = (e: RateLimiterRes): Spent => {
      hooks.refused?.(name);
      return { ok: false, retryAfterMs: Math.max(1, e.msBeforeNext) };
    };
    if (rule.lease !== undefined && rule.lease > 1) {
      if (burst > rule.points) throw new Error(`budget ${name}: a lease does not go with a burst`);
      const leased = createLeases(insured(name, rule.points, rule.perSeconds), rule.points, Math.min(rule.points, Math.floor(rule.lease)));
      return {
        name,
        async consume(key) {
          const taken = await leased.take(key);
          return taken === true ? { ok: true } : refuse(taken);
        },
      };
    }
    const main = insured(name, rule.points, rule.perSeconds);
    const limiter = burst > rule.points ? new BurstyRateLimiter(main, insured(`${name}-burst`, burst - rule.points, burstSeconds)) : main;

    return {
      name,
      async consume(key) {
        try {
          await limiter.consume(key);
          return { ok: true };
        } catch (e) {
          if (!(e instanceof RateLimiterRes)) throw e;
          return refuse(e);
        }
      },
    };
  };
}

/**
 * Leases of `lease` points per key: one store consume of `lease` points, then spent here until the
 * lease or its window runs out. A store that has fewer than `lease` left grants what it has (it
 * counted the whole request, which only ever errs towards refusing). One store call per key at a time.
 */
function createLeases(limiter: RateLimiterAbstract, points: number, lease: number) {
  /** Per key: points left here, until when, and whether the store said the window is spent. */
  const held = new Map<string, { left: number; until: number; spent: boolean }>();
  const asking = new Map<string, Promise<void>>();

  async function renew(key: string): Promise<void> {
    const now = Date.now();
    try {
      const res = await limiter.consume(key, lease);
      held.set(key, { left: lease, until: now + Math.max(1, res.msBeforeNext), spent: false });
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      // Counted before this request: what was left of the window is ours, and then it is spent.
      const left = Math.max(0, points - (e.consumedPoints - lease));
      held.set(key, { left, until: now + Math.max(1, e.msBeforeNext), spent: true });
    }
    if (held.size > 10_000) for (const [k, h] of held) if (h.until <= now) held.delete(k);
  }

  return {
    async take(key: string): Promise<true | RateLimiterRes> {
      for (;;) {
        const h = held.get(key);
        const now = Date.now();
        if (h && h.until > now) {
          if (h.left > 0) {
            h.left--;
            return true;
          }
          if (h.spent) return new RateLimiterRes(0, h.until - now, points, false);
        }
        let pending = asking.get(key);
        if (!pending) {
          pending = renew(key).finally(() => asking.delete(key));
          asking.set(key, pending);
        }
        await pending;
      }
    },
  };
}

export type BudgetFactory = ReturnType<typeof createBudgets>;

/** One budget per rule, each named by its key: built once, so every transport spends the same one. */
export function budgetsByName<K extends string>(budgets: BudgetFactory, rules: Readonly<Record<K, BudgetRule>>): Record<K, Budget> {
  return Object.fromEntries(Object.entries<BudgetRule>(rules).map(([name, rule]) => [name, budgets(name, rule)])) as Record<K, Budget>;
}

/** The insurance limiter is only ever asked when the store failed: each call is a store error. */
function wrapInsurance(memory: RateLimiterMemory, onUse: () => void): RateLimiterMemory {
  const consume = memory.consume.bind(memory);
  memory.consume = (key, points, options) => {
    onUse();
    return consume(key, points, options);
  };
  return memory;
}
