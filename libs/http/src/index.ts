export * from './create-app.js';
export * from './auth.js';
export * from './parse.js';
export * from './listen.js';
export * from './rate-limit.js';
export * from './client-address.js';
export * from './readiness.js';
export * from './request-id.js';
export { UNMATCHED } from './route-label.js';
