import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  ConfigError,
  commonEnv,
  commonFields,
  databaseEnv,
  databaseFields,
  envBool,
  envInt,
  envPort,
  readConfig,
  type LogLevel,
  hostEnv,
  type NatsConnectionConfig,
} from '@chatroulette/config';
import { loadSigningKey } from '@chatroulette/tokens';

/** The config the service works with. */
export interface AuthConfig {
  port: number;
  /** The address the HTTP listener binds (HOST). */
  host: string;
  /** NATS_URL and the NATS credentials and TLS files. */
  nats: NatsConnectionConfig;
  natsNamespace: string;
  /** The PostgreSQL server; the service creates and migrates `databaseName` on it. */
  databaseUrl: string;
  databaseName: string;
  databasePoolSize: number;
  logLevel: LogLevel;
  /** log2 of scrypt's N for new hashes; existing hashes keep their own cost until the next login. */
  passwordHashCost: number;
  tokenTtlSeconds: number;
  /** PEM of the EC P-256 signing key; undefined means a development key kept in the database. */
  privateKeyPem: string | undefined;
  /** How often stale presence (gateways silent for 3 intervals) is swept. */
  presenceSweepMs: number;
  /** Failed logins of one username / one client address before the next attempt must wait. */
  loginFreeFailures: number;
  loginFreeFailuresPerAddress: number;
  /** The longest lockout wait (the waits double from 1 s), seconds. */
  loginLockoutMaxSeconds: number;
  /** A username's or address's failure count starts again after this long without failures, seconds. */
  loginFailureWindowSeconds: number;
  /** Take the client address from the last X-Forwarded-For hop (the gateway's). */
  trustForwardedFor: boolean;
}

/** Every variable auth reads, with its default and its range: the one place they are written. */
const shape = {
  ...commonEnv,
  ...databaseEnv('chatroulette_auth'),
  PORT: envPort(3001),
  ...hostEnv('127.0.0.1'),
  PASSWORD_HASH_COST: envInt(15, 10, 20),
  TOKEN_TTL_SECONDS: envInt(86_400, 60, 30 * 86_400),
  AUTH_PRIVATE_KEY: z.string().optional(),
  AUTH_PRIVATE_KEY_FILE: z.string().optional(),
  PRESENCE_SWEEP_MS: envInt(5000, 100, 600_000),
  LOGIN_FREE_FAILURES: envInt(5, 1, 1_000_000),
  LOGIN_FREE_FAILURES_PER_ADDRESS: envInt(20, 1, 1_000_000),
  LOGIN_LOCKOUT_MAX_SECONDS: envInt(300, 1, 86_400),
  LOGIN_FAILURE_WINDOW_SECONDS: envInt(900, 1, 30 * 86_400),
  TRUST_FORWARDED_FOR: envBool(true),
};

/** env -> AuthConfig; throws ConfigError (one line naming the variable) when something is wrong. */
export function configFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  const e = readConfig(shape, env);
  return Object.freeze({
    ...commonFields(e),
    ...databaseFields(e),
    passwordHashCost: e.PASSWORD_HASH_COST,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    privateKeyPem: privateKeyFromEnv(e.AUTH_PRIVATE_KEY, e.AUTH_PRIVATE_KEY_FILE),
    presenceSweepMs: e.PRESENCE_SWEEP_MS,
    loginFreeFailures: e.LOGIN_FREE_FAILURES,
    loginFreeFailuresPerAddress: e.LOGIN_FREE_FAILURES_PER_ADDRESS,
    loginLockoutMaxSeconds: e.LOGIN_LOCKOUT_MAX_SECONDS,
    loginFailureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
    trustForwardedFor: e.TRUST_FORWARDED_FOR,
  });
}

/** The key from AUTH_PRIVATE_KEY (with `\n` escapes) or AUTH_PRIVATE_KEY_FILE, checked to load; undefined when neither is set. */
function privateKeyFromEnv(inline: string | undefined, file: string | undefined): string | undefined {
  if (inline && file) {
    throw new ConfigError('Configuration error: set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE, not both');
  }
  let pem = inline?.replace(/\\n/g, '\n');
  if (file) {
    try {
      pem = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`Configuration error: AUTH_PRIVATE_KEY_FILE is invalid (${(err as Error).message})`);
    }
  }
  if (pem === undefined) return undefined;
  try {
    loadSigningKey(pem);
  } catch (err) {
    const name = file ? 'AUTH_PRIVATE_KEY_FILE' : 'AUTH_PRIVATE_KEY';
    throw new ConfigError(`Configuration error: ${name} is invalid (${(err as Error).message})`);
  }
  return pem;
}
