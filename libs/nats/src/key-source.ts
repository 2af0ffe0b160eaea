import type { NatsConnection } from 'nats';
import { authKeysGet, type Subjects } from '@chatroulette/contracts';
import { request } from './rpc.js';

/** The auth service's public keys, asked for over NATS (for createTokenVerifier). */
export function authKeySource(nc: NatsConnection, subjects: Subjects) {
  return async () => (await request(nc, subjects.authKeysGet, authKeysGet, {}, 3000)).keys;
}
