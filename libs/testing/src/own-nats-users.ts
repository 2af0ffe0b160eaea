import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { natsInboxPrefix, natsPasswordVariable, natsUsers, type NatsUser } from '@chatroulette/contracts';
import { startOwnNats, type OwnNats, type OwnNatsOptions } from './own-nats.js';

/** The users file a deployment's nats-server includes (generated from libs/contracts). */
export const shippedNatsAuthorization = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/nats/authorization.conf');

export interface OwnNatsWithUsers extends OwnNats {
  /** Each service's user and the password this server was given for it. */
  readonly users: Record<NatsUser, { user: string; password: string }>;
}

/**
 * A nats-server of one test with the deployment's users (deploy/nats/authorization.conf, each
 * with a fresh password): no anonymous client gets in, each service may use only its subjects.
 * The passwords start with a letter: nats-server reads `$VAR` as a config value (`3e5…` is a number).
 */
export async function startOwnNatsWithUsers(opts: Omit<OwnNatsOptions, 'include' | 'env' | 'readyAs'> = {}): Promise<OwnNatsWithUsers> {
  const users = Object.fromEntries(natsUsers.map((u) => [u, { user: u, password: `pw${randomBytes(12).toString('hex')}` }])) as OwnNatsWithUsers['users'];
  const env = Object.fromEntries(natsUsers.map((u) => [natsPasswordVariable(u), users[u].password]));
  const nats = await startOwnNats({ ...opts, include: shippedNatsAuthorization, env, readyAs: { user: 'gateway', pass: users.gateway.password, inboxPrefix: natsInboxPrefix('gateway') } });
  return Object.assign(nats, { users });
}
