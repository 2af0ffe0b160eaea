import type { Budget, BudgetFactory } from '@chatroulette/budgets';
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

/** Fixed windows of a minute on libs/budgets, so N instances give the budget once, not N times. */
export function createAuthBudgets(budgets: BudgetFactory, rules: BudgetRules): AuthBudgets {
  const perMinute = (name: string, points: number) => budgets(name, { points, perSeconds: 60 });
  const registerPerAddress = perMinute('register-addr', rules.registerPerAddress);
  const register = perMinute('register', rules.register);
  const loginPerAddress = perMinute('login-addr', rules.loginPerAddress);
  const login = perMinute('login', rules.login);

  async function spend(perAddress: Budget, global: Budget, address: string, what: string) {
    for (const [budget, key] of [[perAddress, address], [global, 'all']] as const) {
      const spent = await budget.consume(key);
      if (!spent.ok) throw tooManyRequests(`Too many ${what}; retry later`, spent.retryAfterMs);
    }
  }

  return {
    register: (address) => spend(registerPerAddress, register, address, 'registrations'),
    login: (address) => spend(loginPerAddress, login, address, 'logins'),
  };
}
