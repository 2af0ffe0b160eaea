export * from './copy-table.js';
export * from './consume.js';
