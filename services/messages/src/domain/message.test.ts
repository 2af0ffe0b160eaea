import { describe, expect, it } from 'vitest';
import { assertLive, likesState, isReadByOther, readState, toMessageObject, type StoredMessage } from './message.js';

const t0 = new Date('2026-01-01T10:00:00.000Z');
const t1 = new Date('2026-01-01T10:00:01.000Z');
const msg: StoredMessage = {
  id: 'm1', chat_id: 'c1', user_id: 'u1', type: 'text', content: 'Hello!', media_url: '', status: 'sent',
  is_edited: false, edited_at: null, deleted_at: null, created_at: t0,
};

describe('message objects', () => {
  it('has exactly the contract fields', () => {
    expect(toMessageObject(msg, [], [], 'vasya')).toEqual({
      id: 'm1', chat_id: 'c1', user_id: 'u1', type: 'text', content: 'Hello!', media_url: '',
      status: 'sent', is_edited: false, edited_at: null, read_at: null, read_by: [],
      likes_count: 0, liked_by: [], liked_at: null, created_at: '2026-01-01T10:00:00.000Z',
      user: { id: 'u1', username: 'vasya' },
    });
  });

  it('read_at is the first read, liked_at the latest like', () => {
    const reads = [{ user_id: 'u2', read_at: t0 }, { user_id: 'u3', read_at: t1 }];
    expect(readState({ id: 'm1', status: 'read' }, reads)).toEqual({
      message_id: 'm1', status: 'read', read_by: ['u2', 'u3'], read_at: t0.toISOString(),
    });
    const likes = [{ user_id: 'u2', liked_at: t0 }, { user_id: 'u3', liked_at: t1 }];
    expect(likesState('m1', likes)).toEqual({ message_id: 'm1', likes_count: 2, liked_by: ['u2', 'u3'], liked_at: t1.toISOString() });
  });

  it('reading one own message changes nothing; a deleted message is a 404', () => {
    expect(isReadByOther(msg, 'u1')).toBe(false);
    expect(isReadByOther(msg, 'u2')).toBe(true);
    expect(() => assertLive({ ...msg, deleted_at: t1 })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => assertLive(undefined)).toThrow(expect.objectContaining({ status: 404 }));
  });
});
