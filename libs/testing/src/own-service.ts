import path from 'node:path';
import { freePort } from './free-port.js';
import { parseObject, startOwnProcess, type OwnProcess, type OwnProcessOptions, type Readiness } from './own-process.js';

export interface OwnServiceOptions {
  /** Added to process.env (PORT is set from `port`). */
  env?: Record<string, string | undefined>;
  /** Default: a free port, kept across restarts. */
  port?: number;
  /** Default: a JSON log line with this port in `port`, or a msg with "listening". `{ http: '/path' }` asks this port. */
  ready?: Readiness;
  readyTimeoutMs?: number;
  echo?: OwnProcessOptions['echo'];
  logFile?: OwnProcessOptions['logFile'];
  openFiles?: OwnProcessOptions['openFiles'];
  /** Default: services/<name>/src/main.ts (the bench may run an experiment's copy instead). */
  main?: string;
  /** Node flags before the entry file (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export interface OwnService extends OwnProcess {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
}

/** Runs services/<name>/src/main.ts as its own process (`node --import tsx`, from the repo root) on a fixed port. */
export async function startOwnService(name: string, opts: OwnServiceOptions = {}): Promise<OwnService> {
  const port = opts.port ?? (await freePort());
  const nodeArgs = ['--import', 'tsx', ...(opts.nodeArgs ?? []), opts.main ?? path.join('services', name, 'src', 'main.ts')];
  const proc = await startOwnProcess({
    args: nodeArgs,
    openFiles: opts.openFiles,
    env: { ...opts.env, PORT: String(port) },
    ready: serviceReadiness(opts.ready, port),
    readyTimeoutMs: opts.readyTimeoutMs ?? 20_000,
    label: name,
    echo: opts.echo,
    logFile: opts.logFile,
  });
  return Object.assign(proc, { name, port, url: `http://127.0.0.1:${port}` });
}

function serviceReadiness(ready: Readiness | undefined, port: number): Readiness {
  if (ready === undefined) return (line) => announcesListening(line, port);
  if (typeof ready === 'object' && 'http' in ready && ready.http.startsWith('/')) return { http: `http://127.0.0.1:${port}${ready.http}` };
  return ready;
}

/** A pino line that names the port it listens on, or says it listens. */
export function announcesListening(line: string, port?: number): boolean {
  const [log] = parseObject(line);
  if (!log) return false;
  if (port !== undefined && log.port === port) return true;
  return typeof log.msg === 'string' && /listening/i.test(log.msg);
}
