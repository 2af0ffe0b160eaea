export * from './logger.js';
export * from './format.js';
