import { ConfigError } from '@chatroulette/config';
import { createLogger } from '@chatroulette/logger';
import { configFromEnv } from './config.js';
import { createService } from './service.js';

let cfg;
try {
  cfg = configFromEnv(process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}

const log = createLogger('messages', cfg.logLevel);
if (cfg.faultExitAfterCommit) log.warn('FAULT_EXIT_AFTER_COMMIT is set: test-only, the process exits after a message send');
const service = createService(cfg, { log });

let stopping = false;
function shutdown(signal: string) {
  if (stopping) {
    log.warn({ signal }, 'second signal: exiting now');
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, 'shutting down');
  service.destroy().catch((err: unknown) => {
    log.error({ err }, 'shutdown failed');
    process.exitCode = 1;
  });
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

try {
  const { port } = await service.start();
  log.info({ port }, 'started');
} catch (err) {
  log.error({ err }, 'messages service failed to start');
  process.exitCode = 1;
  await service.destroy();
}
