import { ConfigError } from '@chatroulette/config';
import { createLogger } from '@chatroulette/logger';
import { configFromEnv } from './config.js';
import { createService } from './service.js';

const log = createLogger('roulette');

let cfg;
try {
  cfg = configFromEnv(process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  log.fatal(e.message);
  process.exit(1);
}

const service = createService(cfg, { log: createLogger('roulette', cfg.logLevel) });
try {
  await service.start();
} catch (err) {
  log.fatal({ err }, 'roulette service failed to start');
  await service.destroy().catch(() => undefined);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    service.destroy().then(
      () => log.info('stopped'),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  });
}
