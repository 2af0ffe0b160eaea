import { describe, expect, it } from 'vitest';
import { AppError } from '@chatroulette/errors';
import { throwRefusal } from './send-refusal.js';

describe('throwRefusal', () => {
  it.each([
    ['chat_not_found', 404, 'Chat not found'],
    ['not_participant', 403, 'Not a participant of this chat'],
    ['chat_closed', 409, 'This chat is closed'],
    ['bad_reply', 400, 'Invalid reply_to_id: not a message of this chat'],
    ['chat_changed', 409, 'The chat changed while sending; retry'],
  ] as const)('%s is a %i', (refusal, status, message) => {
    let thrown: unknown;
    try {
      throwRefusal(refusal);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status, message });
  });
});
