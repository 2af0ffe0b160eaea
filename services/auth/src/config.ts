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
  streamEnv,
  type LogLevel,
  hostEnv,
  type NatsConnectionConfig,
} from '@chatroulette/config';
import { LOOPBACK_PEERS, parseNetworks, type Networks } from '@chatroulette/http';
import { loadSigningKey, TOKEN_MAX_LIFETIME_SECONDS } from '@chatroulette/tokens';
import type { IceConfig } from './domain/ice-servers.js';

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
  /** PEM of the EC P-256 signing key; undefined (only with AUTH_DEV_KEY=1) means a development key kept in the database. */
  privateKeyPem: string | undefined;
  /** How often stale presence (gateways silent for 3 intervals) is swept. */
  presenceSweepMs: number;
  /** Failed logins of one username / one client address before the next attempt must wait. */
  loginFreeFailures: number;
  loginFreeFailuresPerAddress: number;
  /** The first lockout wait, seconds; the waits double from it. */
  loginLockoutFirstSeconds: number;
  /** The longest lockout wait, seconds. */
  loginLockoutMaxSeconds: number;
  /** A username's or address's failure count starts again after this long without failures, seconds. */
  loginFailureWindowSeconds: number;
  /** An address past its free failures waits up to this long before its attempt is checked, seconds. */
  loginAddressDelayMaxSeconds: number;
  /** Peers (the gateway) whose last X-Forwarded-For hop is taken as the client's address. */
  trustedProxies: Networks;
  /** Budgets checked before any hash, per client address (IPv6 by /64) and for all of auth, per minute. */
  budgets: {
    registerPerAddress: number;
    register: number;
    loginPerAddress: number;
    login: number;
  };
  /** Password hashes waiting or running at once; past it, 503 with Retry-After. */
  maxPendingHashes: number;
  /** The STUN and TURN servers of GET /api/v1/rtc/ice-servers, and the secret shared with coturn. */
  ice: IceConfig;
  /** Copies of the block events stream and the revocation bucket (3 on a NATS cluster of three). */
  streamReplicas: number;
}

/** A comma-separated list of ICE server URLs of the given schemes (`stun:host:port`, `turn:host:port?transport=udp`). */
const iceUrls = (schemes: string[]) =>
  z
    .string()
    .default('')
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .refine((list) => list.every((u) => schemes.some((s) => u.startsWith(`${s}:`) && u.length > s.length + 1)), `must be comma-separated ${schemes.join(': or ')}: URLs`);

/** Every variable auth reads, with its default and its range: the one place they are written. */
const shape = {
  ...commonEnv,
  ...databaseEnv('chatroulette_auth'),
  ...streamEnv,
  PORT: envPort(3001),
  ...hostEnv('127.0.0.1'),
  ...streamEnv,
  PASSWORD_HASH_COST: envInt(15, 10, 20),
  TOKEN_TTL_SECONDS: envInt(86_400, 60, TOKEN_MAX_LIFETIME_SECONDS),
  AUTH_PRIVATE_KEY: z.string().optional(),
  AUTH_PRIVATE_KEY_FILE: z.string().optional(),
  AUTH_DEV_KEY: envBool(false),
  PRESENCE_SWEEP_MS: envInt(5000, 100, 600_000),
  LOGIN_FREE_FAILURES: envInt(5, 1, 1_000_000),
  LOGIN_FREE_FAILURES_PER_ADDRESS: envInt(20, 1, 1_000_000),
  LOGIN_LOCKOUT_FIRST_SECONDS: envInt(1, 1, 86_400),
  LOGIN_LOCKOUT_MAX_SECONDS: envInt(300, 1, 86_400),
  LOGIN_FAILURE_WINDOW_SECONDS: envInt(900, 1, 30 * 86_400),
  LOGIN_ADDRESS_DELAY_MAX_SECONDS: envInt(5, 0, 60),
  TRUSTED_PROXIES: z.string().default(LOOPBACK_PEERS),
  REGISTER_PER_ADDRESS_PER_MINUTE: envInt(10, 1, 1_000_000),
  REGISTER_PER_MINUTE: envInt(600, 1, 10_000_000),
  LOGIN_PER_ADDRESS_PER_MINUTE: envInt(60, 1, 1_000_000),
  LOGIN_PER_MINUTE: envInt(6000, 1, 10_000_000),
  AUTH_MAX_PENDING_HASHES: envInt(32, 1, 100_000),
  STUN_URLS: iceUrls(['stun', 'stuns']),
  TURN_URLS: iceUrls(['turn', 'turns']),
  TURN_SECRET: z.string().min(16, 'must have at least 16 characters').optional(),
  TURN_TTL_SECONDS: envInt(86_400, 60, 7 * 86_400),
};

/** env -> AuthConfig; throws ConfigError (one line naming the variable) when something is wrong. */
export function configFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  const e = readConfig(shape, env);
  return Object.freeze({
    ...commonFields(e),
    ...databaseFields(e),
    passwordHashCost: e.PASSWORD_HASH_COST,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    streamReplicas: e.NATS_STREAM_REPLICAS,
    privateKeyPem: requireKeyOrDevKey(privateKeyFromEnv(e.AUTH_PRIVATE_KEY, e.AUTH_PRIVATE_KEY_FILE), e.AUTH_DEV_KEY),
    presenceSweepMs: e.PRESENCE_SWEEP_MS,
    loginFreeFailures: e.LOGIN_FREE_FAILURES,
    loginFreeFailuresPerAddress: e.LOGIN_FREE_FAILURES_PER_ADDRESS,
    loginLockoutFirstSeconds: e.LOGIN_LOCKOUT_FIRST_SECONDS,
    loginLockoutMaxSeconds: e.LOGIN_LOCKOUT_MAX_SECONDS,
    loginFailureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
    loginAddressDelayMaxSeconds: e.LOGIN_ADDRESS_DELAY_MAX_SECONDS,
    trustedProxies: proxiesFromEnv(e.TRUSTED_PROXIES),
    budgets: {
      registerPerAddress: e.REGISTER_PER_ADDRESS_PER_MINUTE,
      register: e.REGISTER_PER_MINUTE,
      loginPerAddress: e.LOGIN_PER_ADDRESS_PER_MINUTE,
      login: e.LOGIN_PER_MINUTE,
    },
    maxPendingHashes: e.AUTH_MAX_PENDING_HASHES,
    ice: iceFromEnv(e.STUN_URLS, e.TURN_URLS, e.TURN_SECRET, e.TURN_TTL_SECONDS),
  });
}

/** TURN servers without the secret coturn checks their credentials with would hand out credentials nobody accepts. */
function iceFromEnv(stunUrls: string[], turnUrls: string[], turnSecret: string | undefined, turnTtlSeconds: number): IceConfig {
  if (turnUrls.length > 0 && !turnSecret) throw new ConfigError('Configuration error: TURN_SECRET is required with TURN_URLS (the static-auth-secret of coturn)');
  return { stunUrls, turnUrls, turnSecret, turnTtlSeconds };
}

/** A development key is never a silent default: a deployment without a key must say AUTH_DEV_KEY=1. */
function requireKeyOrDevKey(pem: string | undefined, devKey: boolean): string | undefined {
  if (pem === undefined && !devKey) {
    throw new ConfigError(
      'Configuration error: set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE (or AUTH_DEV_KEY=1 for a development key kept in the database)',
    );
  }
  return pem;
}

function proxiesFromEnv(list: string): Networks {
  try {
    return parseNetworks(list);
  } catch (err) {
    throw new ConfigError(`Configuration error: TRUSTED_PROXIES is invalid (${(err as Error).message})`);
  }
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
