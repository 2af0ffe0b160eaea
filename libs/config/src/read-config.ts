import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { natsEnv, natsConnection, type NatsConnectionConfig, type NatsEnvValues } from './nats-env.js';

/**
 * Reads env into a typed, frozen object. The shape maps variable names to zod schemas
 * (use `z.coerce` / the helpers below for numbers and booleans).
 */
export function readConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env) {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const problem = input[name] === undefined ? 'is required' : `is invalid (${issue.message})`;
    throw new ConfigError(`Configuration error: ${name} ${problem}`);
  }
  return Object.freeze(result.data);
}

export const envInt = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

export const envPort = (def: number) => envInt(def, 0, 65535);

export const envUrl = (def: string, protocols: string[]) =>
  z
    .string()
    .default(def)
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`);

export const envBool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? def : v === 'true' || v === '1'));

export const envLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Variables every service reads. */
export const commonEnv = {
  ...natsEnv,
  /** Prefix of every NATS subject and stream, to share one NATS between deployments. */
  NATS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only').default(''),
  LOG_LEVEL: envLogLevel,
};

/** Copies of each JetStream stream a service owns: 1 on a single server, 3 on a cluster of three. */
export const streamEnv = {
  NATS_STREAM_REPLICAS: envInt(1, 1, 5),
};

/** Verified tokens remembered until their exp (LRU, ~250 bytes each); 0 verifies every time. */
export const tokenCacheEnv = {
  TOKEN_CACHE_SIZE: envInt(20_000, 0, 10_000_000),
};

export const databaseEnv = (defaultName: string) => ({
  /** The PostgreSQL server; the service creates and migrates its own database on it. */
  DATABASE_URL: envUrl('postgres://postgres@127.0.0.1:5432', ['postgres:', 'postgresql:']),
  DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _').default(defaultName),
  DATABASE_POOL_SIZE: envInt(10, 1, 200),
});

/** The address a service's HTTP listener binds: loopback unless a deployment opens it (compose: 0.0.0.0). */
export const hostEnv = (def: string) => ({
  HOST: z.string().regex(/^[A-Za-z0-9.:_-]{1,255}$/, 'an IP address or host name').default(def),
});

/**
 * The common variables, read by readConfig, as the config fields every service names the same way.
 * Throws ConfigError when the NATS settings contradict each other (see natsConnection).
 */
export function commonFields(e: NatsEnvValues & { NATS_NAMESPACE: string; LOG_LEVEL: LogLevel; PORT: number; HOST: string }): {
  nats: NatsConnectionConfig;
  natsNamespace: string;
  logLevel: LogLevel;
  port: number;
  host: string;
} {
  return { nats: natsConnection(e), natsNamespace: e.NATS_NAMESPACE, logLevel: e.LOG_LEVEL, port: e.PORT, host: e.HOST };
}

export function databaseFields(e: { DATABASE_URL: string; DATABASE_NAME: string; DATABASE_POOL_SIZE: number }) {
  return { databaseUrl: e.DATABASE_URL, databaseName: e.DATABASE_NAME, databasePoolSize: e.DATABASE_POOL_SIZE };
}

export type LogLevel = z.infer<typeof envLogLevel>;
