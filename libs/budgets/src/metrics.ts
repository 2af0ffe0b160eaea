import type { ServiceMetrics } from '@chatroulette/metrics';
import type { BudgetHooks } from './budget.js';

/** The budgets' counters on a service's registry: refusals, and consumes the store failed to answer. */
export function budgetMetrics(metrics: ServiceMetrics): BudgetHooks {
  const refused = metrics.counter('budget_refused_total', 'Requests refused (429) by a budget', ['budget'] as const);
  const storeErrors = metrics.counter(
    'budget_store_errors_total',
    'Budget consumes the shared store (PostgreSQL or NATS KV) could not answer, counted in this instance instead',
    ['budget'] as const,
  );
  return {
    refused: (budget) => refused.inc({ budget }),
    storeError: (budget) => storeErrors.inc({ budget }),
  };
}
