/** Who may be paired with whom, and in which order: pure rules, no I/O. */

export interface Seeker {
  userId: string;
  /** Normalised interests; empty means anyone will do. */
  interests: string[];
  /** How long this user has been waiting in the queue (0 for a fresh searcher). */
  waitedMs: number;
}

export interface PairingRules {
  /** After waiting this long, a user with interests takes anyone. */
  interestWaitMs: number;
}

function sharesInterest(a: Seeker, b: Seeker): boolean {
  if (a.interests.length === 0 || b.interests.length === 0) return false;
  const set = new Set(a.interests);
  return b.interests.some((i) => set.has(i));
}

/** A user is open to anyone once they have no interests or have waited long enough. */
function isOpenToAnyone(s: Seeker, rules: PairingRules): boolean {
  return s.interests.length === 0 || s.waitedMs >= rules.interestWaitMs;
}

export function canPair(a: Seeker, b: Seeker, rules: PairingRules): boolean {
  if (a.userId === b.userId) return false;
  return sharesInterest(a, b) || (isOpenToAnyone(a, rules) && isOpenToAnyone(b, rules));
}

/**
 * The partner `me` takes from `waiting` (longest-waiting first, as given): the first one sharing an
 * interest, else the first one both are open to. `blocked(id)` is true for users `me` may not take
 * (a skip cooldown or a block with `me`, already paired).
 */
export function pickPartner(
  me: Seeker,
  waiting: readonly Seeker[],
  rules: PairingRules,
  blocked: (userId: string) => boolean = () => false,
): Seeker | undefined {
  let fallback: Seeker | undefined;
  for (const w of waiting) {
    if (w.userId === me.userId || blocked(w.userId)) continue;
    if (sharesInterest(me, w)) return w;
    if (!fallback && canPair(me, w, rules)) fallback = w;
  }
  return fallback;
}

/** The key of an unordered pair, for skip cooldowns and blocks. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * Pairs a whole queue (oldest first): each user, oldest first, takes the best partner left.
 * `blockedPairs` holds pairKey()s of pairs kept apart (a skip cooldown, a block).
 */
export function pairQueue(
  queue: readonly Seeker[],
  rules: PairingRules,
  blockedPairs: ReadonlySet<string>,
): Array<[Seeker, Seeker]> {
  const taken = new Set<string>();
  const pairs: Array<[Seeker, Seeker]> = [];
  for (let i = 0; i < queue.length; i++) {
    const me = queue[i]!;
    if (taken.has(me.userId)) continue;
    const partner = pickPartner(me, queue.slice(i + 1), rules, (id) => taken.has(id) || blockedPairs.has(pairKey(me.userId, id)));
    if (!partner) continue;
    taken.add(me.userId);
    taken.add(partner.userId);
    pairs.push([me, partner]);
  }
  return pairs;
}
