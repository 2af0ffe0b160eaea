/** mulberry32: a small seeded PRNG, so a failing fuzz run can be replayed with its seed. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;

  const alphabet = ['a', 'Z', '0', ' ', '-', '_', '/', '.', '%', '?', '&', '=', '"', '\\', '\n', '\t', '\u0000', 'é', 'ß', '中', '😀', '\u202e', '\ud800', '\uffff'];
  function string(maxLen = 40): string {
    const n = int(0, maxLen);
    let s = '';
    for (let i = 0; i < n; i++) s += chance(0.5) ? String.fromCharCode(int(32, 126)) : pick(alphabet);
    return s;
  }
  function uuidLike(): string {
    const hex = () => int(0, 15).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `${part(8)}-${part(4)}-4${part(3)}-${pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
  }
  /** Any JSON value: primitives of every type, odd numbers, unicode, nested arrays and objects. */
  function json(depth = 0): unknown {
    const kind = depth > 3 ? int(0, 5) : int(0, 8);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return chance(0.5);
      case 2:
        return pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, int(-1000, 1000)]);
      case 3:
        return string();
      case 4:
        return uuidLike();
      case 5:
        return pick(['', ' ', 'text', 'private', 'image', 'null', 'true', '0', '__proto__', 'constructor']);
      case 6:
        return Array.from({ length: int(0, 4) }, () => json(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        const keys = ['type', 'content', 'media_url', 'reply_to_id', 'participant_ids', 'username', 'password', 'interests', 'requeue', 'bio', 'display_name', 'avatar_url', 'token', 'name', '__proto__', 'constructor', string(8)];
        // defineProperty: `__proto__` becomes an own key (as JSON.parse makes it), not the prototype.
        for (let i = int(0, 5); i > 0; i--) Object.defineProperty(o, pick(keys), { value: json(depth + 1), enumerable: true, configurable: true, writable: true });
        return o;
      }
    }
  }
  return { next, int, pick, chance, string, uuidLike, json };
}

export type Random = ReturnType<typeof createRandom>;
