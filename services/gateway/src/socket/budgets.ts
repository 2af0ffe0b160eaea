import type { Budget, BudgetFactory, BudgetRule } from '@chatroulette/budgets';
import { tooManyRequests } from '@chatroulette/http';

/** The socket budgets: admissions per address and per user (at the upgrade or by an auth frame), and `since` replays per user. */
export interface SocketBudgetRules {
  addressUpgrades: BudgetRule;
  upgrades: BudgetRule;
  replays: BudgetRule;
}

export interface SocketAdmission {
  userId: string;
  /** The client's address bucket (libs/http addressBucket). */
  addressBucket: string;
  /** The socket asks for a `since` replay of its chat. */
  replay: boolean;
}

export interface SocketBudgets {
  /** Spends what the admission costs; throws the 429 AppError past any of its budgets. */
  admit(admission: SocketAdmission): Promise<void>;
}

/** Shared by every gateway (the NATS KV bucket): N gateways still allow each rule once. */
export function socketBudgets(budgets: BudgetFactory, rules: SocketBudgetRules): SocketBudgets {
  const addressUpgrades = budgets('address-upgrades', rules.addressUpgrades);
  const upgrades = budgets('ws-upgrades', rules.upgrades);
  const replays = budgets('ws-replays', rules.replays);
  const spend = async (budget: Budget, key: string, what: string) => {
    const spent = await budget.consume(key);
    if (!spent.ok) throw tooManyRequests(`Too many ${what}; retry later`, spent.retryAfterMs);
  };
  return {
    async admit({ userId, addressBucket, replay }) {
      // One round trip to the store for all of them, not one after another.
      const spending = [spend(addressUpgrades, addressBucket, 'socket connections from this address'), spend(upgrades, userId, 'socket connections')];
      if (replay) spending.push(spend(replays, userId, 'replays'));
      const results = await Promise.allSettled(spending);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (refused) throw refused.reason;
    },
  };
}
