export * from './keys.js';
export * from './sign.js';
export * from './verify.js';
export * from './cache.js';
