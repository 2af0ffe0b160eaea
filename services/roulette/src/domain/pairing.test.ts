import { describe, expect, it } from 'vitest';
import { canPair, pairKey, pairQueue, pickPartner, type Seeker } from './pairing.js';

const rules = { interestWaitMs: 5000 };
const s = (userId: string, interests: string[] = [], waitedMs = 0): Seeker => ({ userId, interests, waitedMs });

describe('pickPartner', () => {
  it('takes the longest-waiting user when nobody has interests', () => {
    expect(pickPartner(s('me'), [s('a', [], 900), s('b', [], 100)], rules)?.userId).toBe('a');
  });

  it('never picks the searcher itself', () => {
    expect(pickPartner(s('me'), [s('me', [], 900)], rules)).toBeUndefined();
  });

  it('prefers a user sharing an interest over an older one', () => {
    const waiting = [s('a', [], 9000), s('b', ['go'], 100)];
    expect(pickPartner(s('me', ['go']), waiting, rules)?.userId).toBe('b');
  });

  it('makes a user with interests wait before taking anyone', () => {
    expect(pickPartner(s('me', ['go']), [s('a', [], 100)], rules)).toBeUndefined();
    expect(pickPartner(s('me', ['go'], 5000), [s('a', [], 100)], rules)?.userId).toBe('a');
    expect(pickPartner(s('me'), [s('a', ['go'], 100)], rules)).toBeUndefined();
    expect(pickPartner(s('me'), [s('a', ['go'], 6000)], rules)?.userId).toBe('a');
  });

  it('skips blocked users', () => {
    expect(pickPartner(s('me'), [s('a'), s('b')], rules, (id) => id === 'a')?.userId).toBe('b');
  });
});

describe('canPair', () => {
  it('pairs users sharing an interest at once', () => {
    expect(canPair(s('a', ['x', 'y']), s('b', ['y']), rules)).toBe(true);
    expect(canPair(s('a', ['x']), s('b', ['y']), rules)).toBe(false);
  });
});

describe('pairQueue', () => {
  it('pairs oldest first and leaves the odd one waiting', () => {
    const pairs = pairQueue([s('a', [], 30), s('b', [], 20), s('c', [], 10)], rules, new Set());
    expect(pairs.map(([x, y]) => [x.userId, y.userId])).toEqual([['a', 'b']]);
  });

  it('does not pair users in a skip cooldown', () => {
    const pairs = pairQueue([s('a'), s('b'), s('c')], rules, new Set([pairKey('b', 'a')]));
    expect(pairs.map(([x, y]) => [x.userId, y.userId])).toEqual([['a', 'c']]);
  });

  it('pairs every user at most once', () => {
    const queue = Array.from({ length: 9 }, (_, i) => s(`u${i}`));
    const ids = pairQueue(queue, rules, new Set()).flat().map((x) => x.userId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(8);
  });
});
