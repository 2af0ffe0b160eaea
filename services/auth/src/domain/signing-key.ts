import { createPublicKey } from 'node:crypto';
import { TOKEN_ALG, type SigningKey } from '@chatroulette/tokens';

/** The public half as the `auth.keys.get` reply lists it. */
export function publicKeyInfo(key: SigningKey) {
  return { kid: key.kid, alg: TOKEN_ALG, public_key_pem: key.publicKeyPem };
}

/** The public half as a JWK set, for GET /.well-known/jwks.json. */
export function jwks(key: SigningKey) {
  const jwk = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: key.kid, alg: TOKEN_ALG, use: 'sig' }] };
}
