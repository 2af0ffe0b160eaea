export * from './run-service.js';
export * from './lifecycle.js';
export * from './every.js';
export * from './batcher.js';
export * from './in-flight.js';
