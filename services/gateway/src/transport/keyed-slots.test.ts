import { describe, expect, it } from 'vitest';
import { KeyedSlots } from './keyed-slots.js';

describe('KeyedSlots', () => {
  it('gives each key up to the cap, and again once given back', () => {
    const slots = new KeyedSlots(2);
    expect([slots.tryTake('a'), slots.tryTake('a'), slots.tryTake('a')]).toEqual([true, true, false]);
    expect(slots.tryTake('b')).toBe(true);
    slots.give('a');
    expect(slots.heldBy('a')).toBe(1);
    expect(slots.tryTake('a')).toBe(true);
  });

  it('forgets a key that holds none', () => {
    const slots = new KeyedSlots(1);
    slots.tryTake('a');
    slots.give('a');
    expect(slots.keys).toBe(0);
  });

  it('refuses nothing with cap 0', () => {
    const slots = new KeyedSlots(0);
    for (let i = 0; i < 100; i++) expect(slots.tryTake('a')).toBe(true);
    slots.give('a');
    expect(slots.keys).toBe(0);
  });
});
