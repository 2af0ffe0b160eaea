/** The services behind the gateway that own REST routes. */
export const restServices = ['auth', 'messages', 'roulette', 'media'] as const;
export type RestService = (typeof restServices)[number];

/** The path prefixes of the contract's REST routes. */
export const apiPaths = {
  auth: '/api/v1/auth',
  users: '/api/v1/users',
  chats: '/api/v1/chats',
  messages: '/api/v1/messages',
  chatroulette: '/api/v1/chatroulette',
  /** Reports and suspensions, for the moderators (MODERATOR_USERNAMES); roulette keeps both. */
  moderation: '/api/v1/moderation',
  /** POST: a new upload (the prefix itself is the route). */
  upload: '/api/v1/upload',
  /** DELETE /api/v1/uploads/{file_id}: the owner removes a file. */
  uploads: '/api/v1/uploads',
  /** GET /uploads/{user_id}/{file_id}: the public download path, outside /api/v1 as file_url says. */
  files: '/uploads',
  /** GET /api/v1/rtc/ice-servers: the STUN and TURN servers a WebRTC call may use. */
  rtc: '/api/v1/rtc',
  /** The original product's routes (the contract's "Compatibility with the original product"). */
  legacyRegister: '/api/v1/register',
  legacyLogin: '/api/v1/login',
  /** GET/PUT the own profile, POST /online. */
  legacyProfile: '/api/v1/profile',
  /** The original's roulette: find, activity, status, clear, {chat_id}/skip, {chat_id}/save. */
  swirl: '/api/v1/swirl',
} as const;

/** The paths the gateway answers itself, before routing. */
export const gatewayPaths = {
  health: '/healthz',
  ready: '/readyz',
  /** The WebSocket; a plain GET is a 426. */
  socket: '/api/v1/ws',
  openapi: '/api/v1/openapi.json',
  asyncapi: '/api/v1/asyncapi.json',
  /** The human-readable page of the OpenAPI document, and its assets under `/docs/`. */
  docs: '/docs',
  /** The demo app (apps/demo): its page here, its files beside it (`/assets/...`). */
  app: '/',
} as const;

/**
 * Which service owns each prefix: the gateway routes by it and each service mounts its routes under
 * its own prefixes. `base: true` when the prefix itself is a route (GET /api/v1/chats).
 */
export const restRoutes: readonly { prefix: string; owner: RestService; base: boolean }[] = [
  { prefix: apiPaths.auth, owner: 'auth', base: false },
  { prefix: apiPaths.users, owner: 'auth', base: false },
  // TURN credentials are minted where users and their tokens are.
  { prefix: apiPaths.rtc, owner: 'auth', base: false },
  { prefix: apiPaths.chats, owner: 'messages', base: true },
  { prefix: apiPaths.messages, owner: 'messages', base: false },
  { prefix: apiPaths.chatroulette, owner: 'roulette', base: false },
  { prefix: apiPaths.moderation, owner: 'roulette', base: false },
  { prefix: apiPaths.upload, owner: 'media', base: true },
  { prefix: apiPaths.uploads, owner: 'media', base: false },
  { prefix: apiPaths.files, owner: 'media', base: false },
  { prefix: apiPaths.legacyRegister, owner: 'auth', base: true },
  { prefix: apiPaths.legacyLogin, owner: 'auth', base: true },
  { prefix: apiPaths.legacyProfile, owner: 'auth', base: true },
  { prefix: apiPaths.swirl, owner: 'roulette', base: false },
];

/** The owner of a request path (without the query), or null when no service has it. */
export function restOwner(path: string): RestService | null {
  for (const { prefix, owner, base } of restRoutes) {
    if (base && (path === prefix || path === `${prefix}/`)) return owner;
    if (path.startsWith(`${prefix}/`) && path.length > prefix.length + 1) return owner;
  }
  return null;
}
