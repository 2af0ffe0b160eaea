import type { Express } from 'express';
import { apiPaths } from '@chatroulette/contracts';
import { requireAuth } from '@chatroulette/http';
import type { AuthContext } from '../context.js';
import { blockUserRoute } from './block-user.js';
import { changePasswordRoute } from './change-password.js';
import { getProfileRoute } from './get-profile.js';
import { getUserProfileRoute } from './get-user-profile.js';
import { iceServersRoute } from './ice-servers.js';
import { jwksRoute } from './jwks.js';
import { listBlocksRoute } from './list-blocks.js';
import { loginRoute } from './login.js';
import { logoutRoute } from './logout.js';
import { refreshRoute } from './refresh.js';
import { registerRoute } from './register.js';
import { updateProfileRoute } from './update-profile.js';
import { onlineStatusRoute } from './online-status.js';

/** Auth's REST routes, under the prefixes the gateway sends it (`apiPaths.auth`, `apiPaths.users`, `apiPaths.rtc`, the original's). */
export function mountRoutes(app: Express, ctx: AuthContext): void {
  const auth = requireAuth(ctx.verify);
  app.get('/.well-known/jwks.json', jwksRoute(ctx));
  app.post(`${apiPaths.auth}/register`, registerRoute(ctx));
  app.post(`${apiPaths.auth}/login`, loginRoute(ctx));
  app.post(`${apiPaths.auth}/refresh`, auth, refreshRoute(ctx));
  app.post(`${apiPaths.auth}/logout`, auth, logoutRoute(ctx));
  app.put(`${apiPaths.auth}/password`, auth, changePasswordRoute(ctx));
  app.get(`${apiPaths.auth}/profile`, auth, getProfileRoute(ctx));
  app.put(`${apiPaths.auth}/profile`, auth, updateProfileRoute(ctx));
  app.get(`${apiPaths.users}/:user_id/profile`, auth, getUserProfileRoute(ctx));
  app.get(`${apiPaths.rtc}/ice-servers`, auth, iceServersRoute(ctx));
  app.get(`${apiPaths.users}/blocks`, auth, listBlocksRoute(ctx));
  app.post(`${apiPaths.users}/:user_id/block`, auth, blockUserRoute(ctx, true));
  app.delete(`${apiPaths.users}/:user_id/block`, auth, blockUserRoute(ctx, false));

  // The original product's routes (the contract's compatibility section): the same use cases.
  const legacy = { legacy: true };
  app.post(apiPaths.legacyRegister, registerRoute(ctx, legacy));
  app.post(apiPaths.legacyLogin, loginRoute(ctx, legacy));
  app.get(apiPaths.legacyProfile, auth, getProfileRoute(ctx, legacy));
  app.put(apiPaths.legacyProfile, auth, updateProfileRoute(ctx, legacy));
  app.post(`${apiPaths.legacyProfile}/online`, auth, onlineStatusRoute(ctx));
}
