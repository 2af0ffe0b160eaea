import type { Express } from 'express';
import { budget, type BudgetFactory } from '@chatroulette/budgets';
import { currentUser, requireAuth } from '@chatroulette/http';
import { apiPaths } from '@chatroulette/contracts';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { RouletteBudgets } from '../config.js';
import type { RouletteContext } from '../context.js';
import { searchRoute } from './search.js';
import { cancelSearchRoute } from './cancel-search.js';
import { statusRoute } from './status.js';
import { skipRoute } from './skip.js';
import { saveRoute } from './save.js';

/** The roulette's REST routes, under its prefix (apiPaths.chatroulette); every route needs a token. */
export function mountRoutes(app: Express, ctx: RouletteContext, verify: TokenVerifier, budgets: BudgetFactory, limits: RouletteBudgets): void {
  const base = apiPaths.chatroulette;
  const auth = requireAuth(verify);
  // Per user, across every instance (see the README's budgets); search and find share one.
  const perUser = (name: keyof RouletteBudgets, what: string) => budget(budgets(name, limits[name]), (req) => currentUser(req).userId, what);
  const searches = perUser('searches', 'searches');
  app.post(`${base}/search`, auth, searches, searchRoute(ctx));
  app.get(`${base}/find`, auth, searches, searchRoute(ctx));
  app.delete(`${base}/search`, auth, perUser('cancels', 'cancels'), cancelSearchRoute(ctx));
  app.get(`${base}/status`, auth, perUser('status', 'status requests'), statusRoute(ctx));
  app.post(`${base}/:chat_id/skip`, auth, perUser('skips', 'skips'), skipRoute(ctx));
  app.post(`${base}/:chat_id/save`, auth, perUser('saves', 'saves'), saveRoute(ctx));
}
