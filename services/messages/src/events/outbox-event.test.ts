import { describe, expect, it } from 'vitest';
import { dedupId, newMessageHeaders, outboxEvent } from './outbox-event.js';

describe('outboxEvent', () => {
  it('stores the exact client frame and the seq header', () => {
    const e = outboxEvent('message_deleted', 'c1', 7, { message_id: 'm1' });
    expect(JSON.parse(e.frame)).toEqual({ type: 'message_deleted', chat_id: 'c1', payload: { message_id: 'm1' }, seq: 7 });
    expect(e.headers).toEqual({ 'Chat-Seq': '7' });
    expect(dedupId(e)).toBe('c1:7');
  });

  it('adds author and message id headers to a new_message', () => {
    expect(newMessageHeaders('u1', 'm1')).toEqual({ 'Msg-Author': 'u1', 'Msg-Id': 'm1' });
  });
});
