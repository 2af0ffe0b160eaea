export * from './budget.js';
export * from './pg-store.js';
export * from './kv-store.js';
export * from './middleware.js';
export * from './metrics.js';
