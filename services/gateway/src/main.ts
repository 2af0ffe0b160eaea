import { createLogger } from '@chatroulette/logger';
import { configFromEnv } from './config.js';
import { createService } from './service.js';

const cfg = configFromEnv(process.env);
const log = createLogger('gateway', cfg.logLevel);
const service = createService(cfg, { log });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await service.destroy();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

service.start().catch((err: unknown) => {
  log.fatal({ err }, 'gateway failed to start');
  process.exitCode = 1;
  void service.destroy();
});
