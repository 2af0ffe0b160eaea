import type { Migration } from 'kysely';
import * as init from './20260101000000-init.js';
import * as loginFailures from './20260301000000-login-failures.js';

export const migrations: Record<string, Migration> = {
  '20260101000000-init': init,
  '20260301000000-login-failures': loginFailures,
};
