import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords as scrypt hashes in a self-describing string, `scrypt$<log2N>$<r>$<p>$<salt>$<hash>`
 * (base64), so the cost can be raised later and old hashes still verify.
 */

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

interface HashParams {
  log2N: number;
  r: number;
  p: number;
}

/** Async scrypt runs in the libuv pool, so hashing never blocks the event loop. */
function derive(password: string, salt: Buffer, params: HashParams, keyLength: number): Promise<Buffer> {
  const N = 2 ** params.log2N;
  // Node's default maxmem (32 MiB) is exactly 128*N*r at N=2^15, r=8, which it refuses: allow twice that.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, log2N: number): Promise<string> {
  const params = { log2N, r: BLOCK_SIZE, p: PARALLELISM };
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, params, KEY_LENGTH);
  return ['scrypt', log2N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** The parameters of a stored hash, or null when it is not one of ours (or asks for an absurd cost). */
export function parseHash(stored: string): (HashParams & { salt: Buffer; hash: Buffer }) | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2N, r, p].every(Number.isInteger) || log2N < 1 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16) {
    return null;
  }
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || hash.length === 0) return null;
  return { log2N, r, p, salt, hash };
}

/** Constant-time comparison; false for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a hash was made with other parameters than today's, so a successful login re-hashes it. */
export function needsRehash(stored: string, log2N: number): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.log2N !== log2N || parsed.r !== BLOCK_SIZE || parsed.p !== PARALLELISM;
}
