export * from './connect.js';
export * from './client-options.js';
export * from './codec.js';
export * from './rpc.js';
export * from './handlers.js';
export * from './jetstream.js';
export * from './key-source.js';
export * from './readiness.js';
