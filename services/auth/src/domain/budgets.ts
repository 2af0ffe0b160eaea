import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from '@chatroulette/http';

/** Requests per minute, per client address (IPv6 by /64) and for all of auth together. */
export interface BudgetRules {
  registerPerAddress: number;
  register: number;
  loginPerAddress: number;
  login: number;
}

/** Budgets spent before any password hash, shared by every auth instance (they count in the database). */
export interface AuthBudgets {
  /** Spends one registration of `addressBucket`; 429 with Retry-After when it or the global budget is spent. */
  register(addressBucket: string): Promise<void>;
  login(addressBucket: string): Promise<void>;
}

const TABLE = 'auth_budgets';

/**
 * rate-limiter-flexible's fixed windows of a minute, kept in PostgreSQL (`auth_budgets`, created by
 * a migration: `tableCreated` tells the library not to run its own DDL), so N instances give the
 * budget once, not N times. `store` is a pg-pool-like client (db/budget-store.ts).
 */
export function createBudgets(store: unknown, rules: BudgetRules): AuthBudgets {
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({ storeClient: store, storeType: 'pool', tableName: TABLE, tableCreated: true, keyPrefix, points, duration: 60 });
  const registerPerAddress = limiter('register-addr', rules.registerPerAddress);
  const register = limiter('register', rules.register);
  const loginPerAddress = limiter('login-addr', rules.loginPerAddress);
  const login = limiter('login', rules.login);

  async function spend(perAddress: RateLimiterPostgres, global: RateLimiterPostgres, address: string, what: string) {
    try {
      await perAddress.consume(address);
      await global.consume('all');
    } catch (e) {
      if (e instanceof RateLimiterRes) throw tooManyRequests(`Too many ${what}; retry later`, e.msBeforeNext);
      throw e;
    }
  }

  return {
    register: (address) => spend(registerPerAddress, register, address, 'registrations'),
    login: (address) => spend(loginPerAddress, login, address, 'logins'),
  };
}
