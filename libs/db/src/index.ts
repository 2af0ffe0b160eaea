export * from './ensure-database.js';
export * from './create-db.js';
export * from './migrate.js';
export * from './pg-errors.js';
export { prepared } from './prepared.js';
export * from './wait-for-server.js';
export * from './readiness.js';
