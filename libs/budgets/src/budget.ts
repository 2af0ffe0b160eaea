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
          hooks.refused?.(name);
          return { ok: false, retryAfterMs: Math.max(1, e.msBeforeNext) };
        }
      },
    };
  };
}

export type BudgetFactory = ReturnType<typeof createBudgets>;

/** The insurance limiter is only ever asked when the store failed: each call is a store error. */
function wrapInsurance(memory: RateLimiterMemory, onUse: () => void): RateLimiterMemory {
  const consume = memory.consume.bind(memory);
  memory.consume = (key, points, options) => {
    onUse();
    return consume(key, points, options);
  };
  return memory;
}
