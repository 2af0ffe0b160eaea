import {
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type ConnectionOptions,
} from 'nats';
import type { NatsAuth, NatsConnectionConfig } from '@chatroulette/config';

/** A connection config as nats.js options: its servers, one authenticator, and TLS when it is required. */
export function natsClientOptions(cfg: NatsConnectionConfig): Pick<ConnectionOptions, 'servers' | 'authenticator' | 'tls'> {
  return {
    servers: cfg.servers,
    ...(cfg.auth ? { authenticator: authenticator(cfg.auth) } : {}),
    // An object (even empty) makes nats.js refuse a server that does not offer TLS.
    ...(cfg.tls ? { tls: { ...cfg.tls } } : {}),
  };
}

function authenticator(auth: NatsAuth) {
  switch (auth.kind) {
    case 'user':
      return usernamePasswordAuthenticator(auth.user, auth.password);
    case 'token':
      return tokenAuthenticator(auth.token);
    case 'creds':
      return credsAuthenticator(auth.creds);
    case 'nkey':
      return nkeyAuthenticator(new TextEncoder().encode(auth.seed));
  }
}
