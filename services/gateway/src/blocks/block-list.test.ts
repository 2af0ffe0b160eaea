import { describe, expect, it } from 'vitest';
import { BlockList } from './block-list.js';

const state = (blocker: string, blocked: string, isBlocked: boolean, version: number) => ({
  blocker_id: blocker,
  blocked_id: blocked,
  blocked: isBlocked,
  version,
});

describe('BlockList', () => {
  it('knows a tracked user\'s blocks both ways, and nothing of untracked users', () => {
    const list = new BlockList();
    list.track('ann');
    list.apply(state('ann', 'bob', true, 1));
    list.apply(state('cy', 'ann', true, 1));
    list.apply(state('dan', 'eve', true, 1));
    expect(list.isBlockedPair('ann', 'bob')).toBe(true);
    expect(list.isBlockedPair('bob', 'ann')).toBe(true);
    expect(list.isBlockedPair('ann', 'cy')).toBe(true);
    expect(list.isBlockedPair('ann', 'dan')).toBe(false);
    // Neither dan nor eve is tracked: that event was not kept.
    expect(list.isBlockedPair('dan', 'eve')).toBe(false);
  });

  it('keeps the highest version, so a late or repeated state changes nothing', () => {
    const list = new BlockList();
    list.track('ann');
    list.apply(state('ann', 'bob', false, 2));
    list.apply(state('ann', 'bob', true, 1));
    expect(list.isBlockedPair('ann', 'bob')).toBe(false);
    list.apply(state('ann', 'bob', true, 3));
    list.apply(state('ann', 'bob', true, 3));
    expect(list.isBlockedPair('bob', 'ann')).toBe(true);
  });

  it('forgets a user who left, and keeps the other side of a pair for a user still tracked', () => {
    const list = new BlockList();
    list.track('ann');
    list.track('bob');
    list.apply(state('ann', 'bob', true, 1));
    list.forget('ann');
    expect(list.tracked()).toEqual(['bob']);
    expect(list.isBlockedPair('ann', 'bob')).toBe(true);
    list.forget('bob');
    expect(list.isBlockedPair('ann', 'bob')).toBe(false);
  });
});
