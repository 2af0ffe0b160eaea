import type { Express } from 'express';
import { mapDatabaseError } from '@chatroulette/db';
import { createApp, requireAuth } from '@chatroulette/http';
import type { AuthContext } from './context.js';
import { registerRoute } from './routes/register.js';
import { loginRoute } from './routes/login.js';
import { getProfileRoute } from './routes/get-profile.js';
import { updateProfileRoute } from './routes/update-profile.js';
import { getUserProfileRoute } from './routes/get-user-profile.js';
import { jwksRoute } from './routes/jwks.js';
import { healthRoute } from './routes/health.js';

export function buildApp(ctx: AuthContext): Express {
  const auth = requireAuth(ctx.verify);
  return createApp(
    ctx.log,
    (app) => {
      app.get('/healthz', healthRoute(ctx));
      app.get('/.well-known/jwks.json', jwksRoute(ctx));
      app.post('/api/v1/auth/register', registerRoute(ctx));
      app.post('/api/v1/auth/login', loginRoute(ctx));
      app.get('/api/v1/auth/profile', auth, getProfileRoute(ctx));
      app.put('/api/v1/auth/profile', auth, updateProfileRoute(ctx));
      app.get('/api/v1/users/:user_id/profile', auth, getUserProfileRoute(ctx));
    },
    mapDatabaseError,
  );
}
