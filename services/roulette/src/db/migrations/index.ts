import type { Migration } from 'kysely';
import * as init from './20260126000000-init.js';
import * as graceUsername from './20261201000000-grace-username.js';
import * as budgets from './20261215000000-budgets.js';
import * as queueActivity from './20270101000000-queue-activity.js';
import * as safety from './20270201000000-safety.js';

export const migrations: Record<string, Migration> = {
  '20260126000000-init': init,
  '20261201000000-grace-username': graceUsername,
  '20261215000000-budgets': budgets,
  '20270101000000-queue-activity': queueActivity,
  '20270201000000-safety': safety,
};
