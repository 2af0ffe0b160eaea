import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, parseHash, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('stores scrypt$<log2N>$<r>$<p>$<salt>$<hash> with a 16-byte salt', async () => {
    const stored = await hashPassword('correct horse', 10);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(parseHash(stored)?.salt.length).toBe(16);
    expect(stored).not.toContain('correct horse');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse', 10);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', 10), hashPassword('same password', 10)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('verifies a hash made with another cost, and asks for a re-hash', async () => {
    const old = await hashPassword('long ago pass', 11);
    expect(await verifyPassword('long ago pass', old)).toBe(true);
    expect(needsRehash(old, 11)).toBe(false);
    expect(needsRehash(old, 12)).toBe(true);
  });

  it('works at the default cost 2^15, which needs a raised maxmem', async () => {
    const stored = await hashPassword('default cost', 15);
    expect(await verifyPassword('default cost', stored)).toBe(true);
  });

  it('refuses malformed or absurd stored hashes without throwing', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$40$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$10$8$1$AAAA$AAAA')).toBe(false);
    expect(parseHash('scrypt$10$8$1$$')).toBeNull();
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await hashPassword('loop stays free', 15);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});
