/**
 * `npm start`: the four services as local processes against NATS_URL and DATABASE_URL.
 * GATEWAY_PROCESSES (default 1, 1..16) gateway processes share the gateway's PORT: uWebSockets.js
 * listens with SO_REUSEPORT, so the kernel spreads connections between them (one per core); each is
 * an independent gateway with its own GATEWAY_ID, NATS subscriptions and presence counts.
 * Prints where the gateway listens once it answers, and stops them all on Ctrl-C (SIGINT) or SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gatewayPort = Number(process.env.PORT ?? 8080);
const ports = { auth: 3001, messages: 3002, roulette: 3003 };
const gatewayProcesses = readGatewayProcesses(process.env.GATEWAY_PROCESSES);
const gatewayEnv = {
  PORT: String(gatewayPort),
  AUTH_URL: process.env.AUTH_URL ?? `http://127.0.0.1:${ports.auth}`,
  MESSAGES_URL: process.env.MESSAGES_URL ?? `http://127.0.0.1:${ports.messages}`,
  ROULETTE_URL: process.env.ROULETTE_URL ?? `http://127.0.0.1:${ports.roulette}`,
};

// `dir` is the service's folder; `name` prefixes its output (gateway-1, gateway-2 with several gateways).
const services: { name: string; dir: string; env: Record<string, string> }[] = [
  { name: 'auth', dir: 'auth', env: { PORT: String(ports.auth) } },
  { name: 'messages', dir: 'messages', env: { PORT: String(ports.messages) } },
  { name: 'roulette', dir: 'roulette', env: { PORT: String(ports.roulette) } },
  ...Array.from({ length: gatewayProcesses }, (_, i) => ({
    name: gatewayProcesses === 1 ? 'gateway' : `gateway-${i + 1}`,
    dir: 'gateway',
    // Each process must have its own GATEWAY_ID (presence counts are per gateway): suffix a given one.
    env: gatewayProcesses > 1 && process.env.GATEWAY_ID ? { ...gatewayEnv, GATEWAY_ID: `${process.env.GATEWAY_ID}-${i + 1}` } : gatewayEnv,
  })),
];

const children = new Map<string, ChildProcess>();
let stopping = false;

for (const svc of services) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'services', svc.dir, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...svc.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches only this script, which stops each service once, with SIGTERM.
    detached: true,
  });
  children.set(svc.name, child);
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${svc.name}] ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    children.delete(svc.name);
    if (!stopping) {
      console.error(`[start] ${svc.name} exited (${signal ?? code}); stopping the others`);
      process.exitCode = 1;
      stopAll();
    }
    if (children.size === 0) console.log('[start] all services stopped');
  });
}

void announceGateway();

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

function stopAll() {
  if (stopping) {
    for (const child of children.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  console.log('[start] stopping all services (Ctrl-C again to force)');
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 12_000).unref();
}

async function announceGateway() {
  const url = `http://127.0.0.1:${gatewayPort}/healthz`;
  for (let i = 0; i < 120 && !stopping; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) {
        const procs = gatewayProcesses > 1 ? ` (${gatewayProcesses} processes on the port)` : '';
        console.log(`[start] gateway listening on http://localhost:${gatewayPort}${procs} (REST /api/v1, WebSocket ws://localhost:${gatewayPort}/api/v1/ws)`);
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** GATEWAY_PROCESSES: an integer from 1 to 16 (default 1); anything else stops here with one line. */
function readGatewayProcesses(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 16) {
    console.error(`[start] GATEWAY_PROCESSES must be an integer from 1 to 16, got "${raw}"`);
    process.exit(1);
  }
  return n;
}
