export * from './ids.js';
export * from './limits.js';
export * from './message.js';
export * from './events.js';
export * from './subjects.js';
export * from './requests.js';
export * from './socket.js';
export * from './rest-routes.js';
