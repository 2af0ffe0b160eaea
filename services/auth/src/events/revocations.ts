import type { NatsConnection } from '@chatroulette/nats';
import { revocationKeys, type RevokedToken, type RevokedUserTokens } from '@chatroulette/contracts';
import { unavailable } from '@chatroulette/errors';
import { openRevocationBucket } from '@chatroulette/tokens';

/**
 * The writer of the revocation bucket (auth owns it; every verifier watches it, libs/tokens'
 * createRevocationList). A put is acknowledged by JetStream before the answer goes out, so a 204
 * logout is known to every verifier within the watch's delivery time (milliseconds).
 */
export interface Revocations {
  /** A logout: this one token. */
  revokeToken(jti: string, entry: RevokedToken): Promise<void>;
  /** A password change: every token of the user issued before `valid_from`. */
  revokeUserTokens(userId: string, entry: RevokedUserTokens): Promise<void>;
  /** A development key replaced by a configured one: every token it signed. */
  retireKey(kid: string): Promise<void>;
}

export async function createRevocations(nc: NatsConnection, namespace: string, replicas: number): Promise<Revocations> {
  const kv = await openRevocationBucket(nc, namespace, replicas);
  const put = async (key: string, value: object) => {
    try {
      await kv.put(key, JSON.stringify(value));
    } catch (err) {
      throw unavailable('Revocation could not be recorded; retry', err);
    }
  };
  return {
    revokeToken: (jti, entry) => put(revocationKeys.token(jti), entry),
    revokeUserTokens: (userId, entry) => put(revocationKeys.user(userId), entry),
    retireKey: (kid) => put(revocationKeys.key(kid), { at: Math.floor(Date.now() / 1000) }),
  };
}
