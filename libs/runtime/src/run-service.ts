import { ConfigError, type LogLevel } from '@chatroulette/config';
import { createLogger, logFormat, prettyDestination, type Logger } from '@chatroulette/logger';

interface Service {
  start(): Promise<{ port: number }>;
  destroy(): Promise<void>;
}

/** How long a shutdown may take before the process is ended anyway. */
const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * The body of every service's main.ts: reads the config (a bad variable is one line on stderr and
 * exit code 1), starts the service, and on SIGTERM / SIGINT destroys it and lets the process end.
 * A second signal, or a shutdown past 10 s, ends the process at once.
 */
export async function runService<C extends { logLevel: LogLevel }>(opts: {
  name: string;
  configFromEnv: (env: NodeJS.ProcessEnv) => C;
  createService: (cfg: C, deps: { log: Logger }) => Service;
  /** Warnings about the config worth a log line at start. */
  warnings?: (cfg: C) => string[];
}): Promise<void> {
  let cfg: C;
  const format = logFormat(process.env.LOG_FORMAT, process.stdout.isTTY === true);
  try {
    if (!format) throw new ConfigError('Configuration error: LOG_FORMAT is invalid (json or pretty)');
    cfg = opts.configFromEnv(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`${opts.name}: ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const log = createLogger(opts.name, cfg.logLevel, format === 'pretty' ? prettyDestination() : undefined);
  for (const w of opts.warnings?.(cfg) ?? []) log.warn(w);
  const service = opts.createService(cfg, { log });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long: exiting now');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    service.destroy().then(
      () => log.info('stopped'),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    // The service logs its own "listening" line (defineService).
    await service.start();
  } catch (err) {
    // A server that is configured but does not answer is a configuration matter: one line, no stack.
    if (err instanceof ConfigError) console.error(`${opts.name}: ${err.message}`);
    else log.fatal({ err }, `${opts.name} failed to start`);
    process.exitCode = 1;
    await service.destroy().catch(() => undefined);
  }
}
