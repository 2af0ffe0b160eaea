import { describe, expect, it } from 'vitest';
import { givenChatName } from './chats.js';

describe('givenChatName', () => {
  it('is trimmed, 1 to 100 characters, without control characters or "Chatroulette"', () => {
    expect(givenChatName.parse('  Study  ')).toBe('Study');
    for (const bad of ['', '   ', 'x'.repeat(101), 'a\u0007b', 'CHATROULETTE', 'my chatroulette chat']) {
      expect(givenChatName.safeParse(bad).success, bad).toBe(false);
    }
  });
});
