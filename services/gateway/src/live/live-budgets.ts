import type { Budget, BudgetFactory, BudgetRule } from '@chatroulette/budgets';

/** Per user, over every gateway (the NATS KV bucket): typing frames forwarded, WebRTC signals. */
export interface LiveBudgetRules {
  typing: BudgetRule;
  rtcSignals: BudgetRule;
}

export interface LiveBudgets {
  typing: Budget;
  rtcSignals: Budget;
}

export function liveBudgets(budgets: BudgetFactory, rules: LiveBudgetRules): LiveBudgets {
  return { typing: budgets('ws-typing', rules.typing), rtcSignals: budgets('ws-rtc-signals', rules.rtcSignals) };
}
