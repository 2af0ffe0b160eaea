import type { Express } from 'express';
import { requireAuth } from '@chatroulette/http';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { RouletteContext } from '../use-cases/context.js';
import { searchRoute } from './search.js';
import { cancelSearchRoute } from './cancel-search.js';
import { statusRoute } from './status.js';
import { skipRoute } from './skip.js';
import { saveRoute } from './save.js';

export function mountRoutes(app: Express, ctx: RouletteContext, verify: TokenVerifier): void {
  const base = '/api/v1/chatroulette';
  const auth = requireAuth(verify);
  app.post(`${base}/search`, auth, searchRoute(ctx));
  app.get(`${base}/find`, auth, searchRoute(ctx));
  app.delete(`${base}/search`, auth, cancelSearchRoute(ctx));
  app.get(`${base}/status`, auth, statusRoute(ctx));
  app.post(`${base}/:chat_id/skip`, auth, skipRoute(ctx));
  app.post(`${base}/:chat_id/save`, auth, saveRoute(ctx));
}
