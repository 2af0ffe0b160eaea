import type { BlockState } from '@chatroulette/contracts';

interface Entry {
  blocked: boolean;
  version: number;
}

/** One direction of a pair: `blocker>blocked`. */
const directed = (blockerId: string, blockedId: string) => `${blockerId}>${blockedId}`;

/**
 * The blocks of the users this gateway tracks (those with sockets here), both ways: for each tracked
 * user, every pair they are in with its state and version. A state is kept only when its version is
 * higher than the one known, so events and a loaded list can arrive in any order, and more than once.
 * No I/O: gateway-blocks.ts feeds it.
 */
export class BlockList {
  private readonly byUser = new Map<string, Map<string, Entry>>();

  /** From now on the user's pairs are kept (before their list is asked for: events meanwhile count). */
  track(userId: string): void {
    if (!this.byUser.has(userId)) this.byUser.set(userId, new Map());
  }

  forget(userId: string): void {
    this.byUser.delete(userId);
  }

  tracked(): string[] {
    return [...this.byUser.keys()];
  }

  /** A pair's state (an event, or a line of a loaded list), kept for whichever of its users is tracked. */
  apply(s: BlockState): void {
    const key = directed(s.blocker_id, s.blocked_id);
    for (const userId of [s.blocker_id, s.blocked_id]) {
      const pairs = this.byUser.get(userId);
      const known = pairs?.get(key);
      if (pairs && (!known || known.version < s.version)) pairs.set(key, { blocked: s.blocked, version: s.version });
    }
  }

  /** Whether `a` and `b` are a blocked pair, either way; known when either of them is tracked. */
  isBlockedPair(a: string, b: string): boolean {
    const pairs = this.byUser.get(a) ?? this.byUser.get(b);
    if (!pairs) return false;
    return pairs.get(directed(a, b))?.blocked === true || pairs.get(directed(b, a))?.blocked === true;
  }
}
