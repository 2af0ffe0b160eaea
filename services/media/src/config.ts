import { commonEnv, commonFields, envInt, envPort, hostEnv, readConfig, streamEnv, tokenCacheEnv, type LogLevel, type NatsConnectionConfig } from '@chatroulette/config';

export interface MediaConfig {
  port: number;
  /** The address the HTTP listener binds (HOST). */
  host: string;
  /** NATS_URL and the NATS credentials and TLS files. */
  nats: NatsConnectionConfig;
  natsNamespace: string;
  logLevel: LogLevel;
  /** Copies of the media object store's stream (3 on a NATS cluster of three). */
  streamReplicas: number;
  /** An upload whose body has not arrived whole after this long is cut off (400), nothing kept. */
  uploadTimeoutMs: number;
  /** Verified tokens remembered until their exp (0: verify every request). */
  tokenCacheSize: number;
}

/** Every variable media reads, with its default and its range: the one place they are written. */
const shape = {
  ...commonEnv,
  ...streamEnv,
  ...tokenCacheEnv,
  PORT: envPort(3004),
  ...hostEnv('127.0.0.1'),
  MEDIA_UPLOAD_TIMEOUT_MS: envInt(600_000, 1000, 3_600_000),
};

/** env -> MediaConfig; throws ConfigError (one line naming the variable) when something is wrong. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): MediaConfig {
  const e = readConfig(shape, env);
  return Object.freeze({
    ...commonFields(e),
    streamReplicas: e.NATS_STREAM_REPLICAS,
    uploadTimeoutMs: e.MEDIA_UPLOAD_TIMEOUT_MS,
    tokenCacheSize: e.TOKEN_CACHE_SIZE,
  });
}
