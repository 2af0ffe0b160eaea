import { describe, expect, it } from 'vitest';
import { TypingThrottle } from './typing-throttle.js';

describe('TypingThrottle', () => {
  it('lets one true per user and chat through per window', () => {
    let now = 1000;
    const t = new TypingThrottle(2000, () => now);
    expect(t.admit('u1', 'c1')).toBe(true);
    expect(t.admit('u1', 'c1')).toBe(false);
    // Another chat, another user: their own windows.
    expect(t.admit('u1', 'c2')).toBe(true);
    expect(t.admit('u2', 'c1')).toBe(true);
    now += 1999;
    expect(t.blocked('u1', 'c1')).toBe(true);
    now += 1;
    expect(t.admit('u1', 'c1')).toBe(true);
  });

  it('blocked() alone marks nothing', () => {
    const t = new TypingThrottle(2000, () => 0);
    expect(t.blocked('u1', 'c1')).toBe(false);
    expect(t.blocked('u1', 'c1')).toBe(false);
    t.mark('u1', 'c1');
    expect(t.blocked('u1', 'c1')).toBe(true);
  });

  it('drops expired entries once it holds many', () => {
    let now = 0;
    const t = new TypingThrottle(2000, () => now);
    for (let i = 0; i < 10_001; i++) t.mark(`u${i}`, 'c');
    now = 5000;
    t.mark('fresh', 'c');
    expect((t as unknown as { last: Map<string, number> }).last.size).toBe(1);
  });
});
