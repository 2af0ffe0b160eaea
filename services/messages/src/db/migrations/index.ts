import type { Migration } from 'kysely';
import * as init from './20260101000000-init.js';
import * as messageClientKey from './20260401000000-message-client-key.js';
import * as budgets from './20260501000000-budgets.js';
import * as chatNames from './20260601000000-chat-names.js';
import * as sendBudgets from './20260710000000-send-budgets.js';
import * as liveMessagesIndex from './20260711000000-live-messages-index.js';
import * as userBlocks from './20270201000000-user-blocks.js';

export const migrations: Record<string, Migration> = {
  '20260101000000-init': init,
  '20260401000000-message-client-key': messageClientKey,
  '20260501000000-budgets': budgets,
  '20260601000000-chat-names': chatNames,
  '20260710000000-send-budgets': sendBudgets,
  '20260711000000-live-messages-index': liveMessagesIndex,
  '20270201000000-user-blocks': userBlocks,
};
