import { accessSync, constants, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** How a process proves who it is to NATS: one of these, never two. */
export type NatsAuth =
  | { kind: 'user'; user: string; password: string }
  | { kind: 'token'; token: string }
  /** A decentralised-auth creds file (JWT and seed), read once at start. */
  | { kind: 'creds'; file: string; creds: Uint8Array }
  | { kind: 'nkey'; seed: string };

/** Files for TLS; each optional (the system's CAs verify the server when `caFile` is absent). */
export interface NatsTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** Everything a connection to NATS needs, read from the environment once. */
export interface NatsConnectionConfig {
  /** `nats://host:port` or `tls://host:port`, without credentials: safe to log. */
  servers: string[];
  auth: NatsAuth | undefined;
  /** Set: TLS is required (a tls:// server or a NATS_TLS_* file), a server without it is refused. */
  tls: NatsTls | undefined;
}

/** What NATS_URL says: its servers, the credentials some carried (`user:pass@` or `token@`), and whether they are tls://. */
export interface NatsServerList {
  servers: string[];
  credentials: { user: string; password: string } | { token: string } | undefined;
  tls: boolean;
}

const optional = z.string().optional();

/** The NATS variables every service reads. */
export const natsEnv = {
  /** One or more servers, comma-separated: nats://host:port or tls://host:port. */
  NATS_URL: z
    .string()
    .default('nats://127.0.0.1:4222')
    .superRefine((v, ctx) => {
      try {
        parseNatsUrl(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  NATS_USER: optional,
  NATS_PASSWORD: optional,
  NATS_TOKEN: optional,
  NATS_CREDS: optional,
  NATS_NKEY_SEED: optional,
  NATS_TLS_CA: optional,
  NATS_TLS_CERT: optional,
  NATS_TLS_KEY: optional,
};

export type NatsEnvValues = { NATS_URL: string } & { [K in Exclude<keyof typeof natsEnv, 'NATS_URL'>]?: string | undefined };

/**
 * Splits NATS_URL into servers. Each entry is a URL of its own: `new URL()` of the whole list fails
 * ("Invalid URL") as soon as it names two servers. Throws a plain Error saying what is wrong.
 */
export function parseNatsUrl(value: string): NatsServerList {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('names no server');
  const parsed = entries.map(parseServer);
  const schemes = new Set(parsed.map((p) => p.scheme));
  if (schemes.size > 1) throw new Error('mixes nats:// and tls:// servers: TLS is for all of them or none');
  const given = parsed.filter((p) => p.credentials !== undefined);
  const distinct = new Set(given.map((p) => JSON.stringify(p.credentials)));
  if (distinct.size > 1) throw new Error('its servers carry different credentials: give them once, in NATS_USER and NATS_PASSWORD');
  return { servers: parsed.map((p) => p.server), credentials: given[0]?.credentials, tls: schemes.has('tls:') };
}

function parseServer(entry: string) {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new Error(`"${redact(entry)}" is not a URL (nats://host:port)`);
  }
  if (url.protocol !== 'nats:' && url.protocol !== 'tls:') {
    throw new Error(`must be a nats: or tls: URL, got ${url.protocol}// (the Node client speaks no WebSocket)`);
  }
  if (!url.hostname || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw new Error(`"${redact(entry)}" must be ${url.protocol}//host:port, with no path or query`);
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (!user && password) throw new Error('a server has a password but no user');
  const credentials = !user ? undefined : password ? { user, password } : { token: user };
  return { scheme: url.protocol, server: `${url.protocol}//${url.host}`, credentials };
}

/** An entry as it may be shown in an error: without what is before its `@`. */
function redact(entry: string): string {
  return entry.replace(/\/\/[^/@]*@/, '//***@');
}

/**
 * The NATS settings read by readConfig -> one connection config. Throws ConfigError naming the
 * variables when two ways to authenticate are set, a pair is half set, or a file cannot be read.
 */
export function natsConnection(e: NatsEnvValues): NatsConnectionConfig {
  const list = parseNatsUrl(e.NATS_URL);
  const ways: [string, () => NatsAuth][] = [];
  if (list.credentials) {
    const c = list.credentials;
    ways.push(['credentials in NATS_URL', () => ('token' in c ? { kind: 'token', token: c.token } : { kind: 'user', ...c })]);
  }
  if (e.NATS_USER !== undefined || e.NATS_PASSWORD !== undefined) {
    if (!e.NATS_USER) throw configError('NATS_USER is required with NATS_PASSWORD');
    if (!e.NATS_PASSWORD) throw configError('NATS_PASSWORD is required with NATS_USER');
    const [user, password] = [e.NATS_USER, e.NATS_PASSWORD];
    ways.push(['NATS_USER/NATS_PASSWORD', () => ({ kind: 'user', user, password })]);
  }
  if (e.NATS_TOKEN !== undefined) ways.push(['NATS_TOKEN', () => ({ kind: 'token', token: e.NATS_TOKEN! })]);
  if (e.NATS_CREDS !== undefined) ways.push(['NATS_CREDS', () => ({ kind: 'creds', file: e.NATS_CREDS!, creds: readCreds(e.NATS_CREDS!) })]);
  if (e.NATS_NKEY_SEED !== undefined) ways.push(['NATS_NKEY_SEED', () => ({ kind: 'nkey', seed: checkSeed(e.NATS_NKEY_SEED!) })]);
  if (ways.length > 1) {
    throw configError(`${ways.map(([name]) => name).join(' and ')} are all set: authenticate to NATS one way only`);
  }
  return Object.freeze({ servers: list.servers, auth: ways[0]?.[1](), tls: tlsFrom(e, list.tls) });
}

/** NATS_URL alone (a test's server): its servers and the credentials it carries. */
export function natsConnectionFromUrl(url: string): NatsConnectionConfig {
  try {
    return natsConnection({ NATS_URL: url });
  } catch (e) {
    throw e instanceof ConfigError ? e : configError(`NATS_URL is invalid (${(e as Error).message})`);
  }
}

function tlsFrom(e: NatsEnvValues, tlsScheme: boolean): NatsTls | undefined {
  if (e.NATS_TLS_CERT !== undefined && e.NATS_TLS_KEY === undefined) throw configError('NATS_TLS_KEY is required with NATS_TLS_CERT');
  if (e.NATS_TLS_KEY !== undefined && e.NATS_TLS_CERT === undefined) throw configError('NATS_TLS_CERT is required with NATS_TLS_KEY');
  const files = { caFile: e.NATS_TLS_CA, certFile: e.NATS_TLS_CERT, keyFile: e.NATS_TLS_KEY };
  const names = { caFile: 'NATS_TLS_CA', certFile: 'NATS_TLS_CERT', keyFile: 'NATS_TLS_KEY' } as const;
  const tls: NatsTls = {};
  for (const key of Object.keys(files) as (keyof NatsTls)[]) {
    const file = files[key];
    if (file === undefined) continue;
    readable(names[key], file);
    tls[key] = file;
  }
  return tlsScheme || Object.keys(tls).length > 0 ? Object.freeze(tls) : undefined;
}

function readable(name: string, file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    throw configError(`${name} is invalid (${(err as Error).message})`);
  }
}

function readCreds(file: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw configError(`NATS_CREDS is invalid (${(err as Error).message})`);
  }
  if (!text.includes('BEGIN NATS USER JWT') || !text.includes('BEGIN USER NKEY SEED')) {
    throw configError(`NATS_CREDS is invalid (${file} is not a NATS creds file: no user JWT and seed)`);
  }
  return new TextEncoder().encode(text);
}

/** A user seed is `SU` and base32; anything else is refused here rather than by the server later. */
function checkSeed(seed: string): string {
  const s = seed.trim();
  if (!/^SU[A-Z2-7]{56}$/.test(s)) throw configError('NATS_NKEY_SEED is invalid (must be a user nkey seed: SU and 56 base32 characters)');
  return s;
}

function configError(problem: string): ConfigError {
  return new ConfigError(`Configuration error: ${problem}`);
}
