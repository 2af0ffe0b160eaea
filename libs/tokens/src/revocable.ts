import { unauthorized } from '@chatroulette/errors';
import type { RevocationList } from './revocation-list.js';
import type { TokenVerifier } from './verify.js';

/**
 * A verifier that also refuses revoked tokens (logout, password change, retired key). It wraps the
 * cached verifier, so a token cached before its revocation is refused from the moment it is known.
 */
export function revocableVerifier(verify: TokenVerifier, revocations: RevocationList): TokenVerifier {
  return async (token) => {
    const user = await verify(token);
    if (revocations.isRevoked(user)) throw unauthorized('Token revoked');
    return user;
  };
}
