export * from './reachable.js';
export * from './embedded-postgres.js';
export * from './local-nats.js';
export * from './local-infra.js';
export * from './local-nats-cluster.js';
export * from './cluster-plan.js';
