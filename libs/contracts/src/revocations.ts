import { z } from 'zod';

/**
 * Token revocation, owned by auth and read by every verifier: one JetStream KV bucket whose keys say
 * what is refused from now on. Values are JSON, so a verifier can forget an entry once every token
 * it can refuse has expired anyway.
 */
export function revocationBucket(namespace = ''): string {
  const prefix = namespace ? `${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_` : '';
  return `${prefix}auth_revocations`;
}

export const revocationKeys = {
  /** One token (a logout). */
  token: (jti: string) => `jti.${jti}`,
  /** Every token of a user issued before a second (a password change). */
  user: (userId: string) => `user.${userId}`,
  /** Every token signed by a key (the development key, retired when a real one is configured). */
  key: (kid: string) => `kid.${kid}`,
} as const;

/** `jti.<jti>`: the token's user (its sockets are closed) and its exp (then the entry is moot). */
export const revokedToken = z.object({ user_id: z.string(), exp: z.number() });
/** `user.<user_id>`: tokens whose iat is before `valid_from` (seconds) are refused. */
export const revokedUserTokens = z.object({ valid_from: z.number() });
/** `kid.<kid>`: every token of that key is refused; `at` is when (seconds). */
export const retiredKey = z.object({ at: z.number() });

export type RevokedToken = z.infer<typeof revokedToken>;
export type RevokedUserTokens = z.infer<typeof revokedUserTokens>;
