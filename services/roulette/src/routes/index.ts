import type { Express } from 'express';
import { createRateLimiter, currentUser, rateLimit, requireAuth } from '@chatroulette/http';
import { apiPaths } from '@chatroulette/contracts';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { RouletteContext } from '../context.js';
import { searchRoute } from './search.js';
import { cancelSearchRoute } from './cancel-search.js';
import { statusRoute } from './status.js';
import { skipRoute } from './skip.js';
import { saveRoute } from './save.js';

interface RouteLimits {
  searchesPerMinute: number;
  skipsPerMinute: number;
}

/** The roulette's REST routes, under its prefix (apiPaths.chatroulette); every route needs a token. */
export function mountRoutes(app: Express, ctx: RouletteContext, verify: TokenVerifier, limits: RouteLimits): void {
  const base = apiPaths.chatroulette;
  const auth = requireAuth(verify);
  // A bucket per user and per instance (N instances allow N times the rate); search and find share one.
  const byUser = (req: Parameters<typeof currentUser>[0]) => currentUser(req).userId;
  const searches = rateLimit(createRateLimiter({ rate: limits.searchesPerMinute, perMs: 60_000 }), byUser, 'searches');
  const skips = rateLimit(createRateLimiter({ rate: limits.skipsPerMinute, perMs: 60_000 }), byUser, 'skips');
  app.post(`${base}/search`, auth, searches, searchRoute(ctx));
  app.get(`${base}/find`, auth, searches, searchRoute(ctx));
  app.delete(`${base}/search`, auth, cancelSearchRoute(ctx));
  app.get(`${base}/status`, auth, statusRoute(ctx));
  app.post(`${base}/:chat_id/skip`, auth, skips, skipRoute(ctx));
  app.post(`${base}/:chat_id/save`, auth, saveRoute(ctx));
}
