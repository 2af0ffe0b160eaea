import type { Budget, BudgetFactory, BudgetRule } from '@chatroulette/budgets';
import { tooManyRequests } from '@chatroulette/http';

/** The per-user socket budgets: admissions (at the upgrade or by an auth frame) and `since` replays. */
export interface SocketBudgetRules {
  upgrades: BudgetRule;
  replays: BudgetRule;
}

export interface SocketBudgets {
  /** Spends the user's admission (and replay, with `since` on a chat); throws the 429 AppError past either. */
  admit(userId: string, chatId: string | null, since: number | null): Promise<void>;
}

/** Shared by every gateway (the NATS KV bucket): N gateways still allow the rule once. */
export function socketBudgets(budgets: BudgetFactory, rules: SocketBudgetRules): SocketBudgets {
  const upgrades = budgets('ws-upgrades', rules.upgrades);
  const replays = budgets('ws-replays', rules.replays);
  const spend = async (budget: Budget, key: string, what: string) => {
    const spent = await budget.consume(key);
    if (!spent.ok) throw tooManyRequests(`Too many ${what}; retry later`, spent.retryAfterMs);
  };
  return {
    async admit(userId, chatId, since) {
      await spend(upgrades, userId, 'socket connections');
      if (chatId && since !== null) await spend(replays, userId, 'replays');
    },
  };
}
