import type { NatsConnection, Subscription } from 'nats';
import { authKeysGet, queueGroups, type Subjects } from '@chatroulette/contracts';
import { serve } from '@chatroulette/nats';
import type { AuthContext } from '../context.js';
import { publicKeyInfo } from '../keys/signing-key.js';

/** auth.keys.get -> {keys: [{kid, alg, public_key_pem}]}, for every token verifier in the system. */
export function serveKeysGet(ctx: AuthContext, nc: NatsConnection, subjects: Subjects): Subscription {
  return serve(nc, subjects.authKeysGet, queueGroups.auth, authKeysGet, async () => ({ keys: [publicKeyInfo(ctx.key)] }), ctx.log);
}
