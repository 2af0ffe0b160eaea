import { runService } from '@chatroulette/runtime';
import { configFromEnv } from './config.js';
import { createService } from './service.js';

// The only file that reads process.env and handles signals.
await runService({
  name: 'messages',
  configFromEnv,
  createService,
  warnings: (cfg) =>
    cfg.faultExitAfterCommit ? ['FAULT_EXIT_AFTER_COMMIT is set: test-only, the process exits after a message send commits'] : [],
});
