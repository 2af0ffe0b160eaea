export * from './config-error.js';
export * from './read-config.js';
export * from './nats-env.js';
export * from './nats-service-env.js';
