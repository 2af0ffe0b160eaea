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
    ['rate_limited', 429, 'Too many messages; retry later'],
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

  it('rounds the wait of a rate_limited send up to whole seconds for Retry-After', () => {
    expect(() => throwRefusal('rate_limited', 1001)).toThrow(expect.objectContaining({ status: 429, retryAfter: 2 }));
    expect(() => throwRefusal('rate_limited', 3)).toThrow(expect.objectContaining({ retryAfter: 1 }));
  });
});
