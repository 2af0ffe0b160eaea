import { runService } from '@chatroulette/runtime';
import { configFromEnv } from './config.js';
import { createService } from './service.js';

// The only file that reads process.env and handles signals.
await runService({ name: 'media', configFromEnv, createService });
