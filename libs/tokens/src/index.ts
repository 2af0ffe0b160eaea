export * from './keys.js';
export * from './sign.js';
export * from './verify.js';
export * from './cache.js';
export * from './claims.js';
export * from './revocation-list.js';
export * from './revocable.js';
