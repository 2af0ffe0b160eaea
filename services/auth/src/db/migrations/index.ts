import type { Migration } from 'kysely';
import * as init from './20260101000000-init.js';
import * as loginFailures from './20260301000000-login-failures.js';
import * as sessionsAndBudgets from './20260401000000-sessions-and-budgets.js';
import * as profilePrivacy from './20260601000000-profile-privacy.js';
import * as sharedBudgets from './20260701000000-shared-budgets.js';
import * as userBlocks from './20270201000000-user-blocks.js';

export const migrations: Record<string, Migration> = {
  '20260101000000-init': init,
  '20260301000000-login-failures': loginFailures,
  '20260401000000-sessions-and-budgets': sessionsAndBudgets,
  '20260601000000-profile-privacy': profilePrivacy,
  '20260701000000-shared-budgets': sharedBudgets,
  '20270201000000-user-blocks': userBlocks,
};
