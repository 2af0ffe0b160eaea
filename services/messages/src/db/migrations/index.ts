import type { Migration } from 'kysely';
import * as init from './20260101000000-init.js';

export const migrations: Record<string, Migration> = {
  '20260101000000-init': init,
};
