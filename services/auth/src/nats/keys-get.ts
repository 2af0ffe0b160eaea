import type { AuthContext } from '../context.js';
import { publicKeyInfo } from '../domain/signing-key.js';

/** auth.keys.get -> {keys: [{kid, alg, public_key_pem}]}, for every token verifier in the system. */
export const keysGet = (ctx: AuthContext) => () => ({ keys: [publicKeyInfo(ctx.key)] });
