import { describe, expect, it } from 'vitest';
import { errorBody } from '@chatroulette/errors';
import { reportsQuery, suspendBody } from '@chatroulette/contracts';
import { assertModerator, suspendedError } from './moderation.js';

describe('moderation rules', () => {
  it('knows moderators by username without regard to case, and refuses the others with 403', () => {
    const moderators = new Set(['ann']);
    expect(() => assertModerator(moderators, 'ANN')).not.toThrow();
    expect(() => assertModerator(moderators, 'anna')).toThrow(expect.objectContaining({ status: 403, code: 'forbidden' }));
    expect(() => assertModerator(new Set(), 'ann')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('takes whole hours from 1 to a year, and open or resolved reports (open by default)', () => {
    expect(suspendBody.safeParse({ hours: 1 }).success).toBe(true);
    expect(suspendBody.safeParse({ hours: 8760 }).success).toBe(true);
    for (const hours of [0, -1, 1.5, 8761, '2', null]) expect(suspendBody.safeParse({ hours }).success).toBe(false);
    expect(reportsQuery.parse({})).toEqual({ status: 'open' });
    expect(reportsQuery.safeParse({ status: 'all' }).success).toBe(false);
  });

  it('answers a suspended search 403 with the code and the end in the body', () => {
    const err = suspendedError(new Date('2030-01-02T03:04:05.000Z'));
    expect(err.status).toBe(403);
    expect(errorBody(err)).toEqual({ error: expect.stringContaining('2030-01-02'), code: 'suspended', suspended_until: '2030-01-02T03:04:05.000Z' });
  });
});
