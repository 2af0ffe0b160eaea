import { describe, expect, it } from 'vitest';
import { unauthorized } from '@chatroulette/errors';
import type { VerifiedToken } from './verify.js';
import { cachedVerifier } from './cache.js';

function fakeVerifier(exp: number) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<VerifiedToken> => {
    calls.push(token);
    if (token.startsWith('bad')) throw unauthorized();
    return { userId: `u-${token}`, username: 'x', exp, iat: exp - 60, jti: token, kid: 'k', legacy: false };
  };
  return { verify, calls };
}

describe('cachedVerifier', () => {
  it('verifies a token once and answers the same claims from the cache until exp', async () => {
    let now = 1_000_000;
    const { verify, calls } = fakeVerifier(1010);
    const cached = cachedVerifier(verify, 10, () => now);
    expect(await cached('a')).toMatchObject({ userId: 'u-a', exp: 1010 });
    expect(await cached('a')).toMatchObject({ userId: 'u-a' });
    expect(calls).toEqual(['a']);
    now = 1_010_000; // exp reached: checked again (and the real verifier decides)
    await cached('a');
    expect(calls).toEqual(['a', 'a']);
  });

  it('never caches a failure and keeps different tokens apart', async () => {
    const { verify, calls } = fakeVerifier(9e9);
    const cached = cachedVerifier(verify, 10);
    await expect(cached('bad1')).rejects.toMatchObject({ status: 401 });
    await expect(cached('bad1')).rejects.toMatchObject({ status: 401 });
    expect(await cached('b')).toMatchObject({ userId: 'u-b' });
    expect(await cached('c')).toMatchObject({ userId: 'u-c' });
    expect(calls).toEqual(['bad1', 'bad1', 'b', 'c']);
  });

  it('evicts the least recently used entry past its bound', async () => {
    const { verify, calls } = fakeVerifier(9e9);
    const cached = cachedVerifier(verify, 2);
    await cached('a');
    await cached('b');
    await cached('a'); // a is now the most recent
    await cached('c'); // evicts b
    await cached('a');
    await cached('b');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });
});
