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
import { reportRoute } from './report.js';
import { moderatorsOnly } from './moderation/moderators-only.js';
import { reportsRoute } from './moderation/reports.js';
import { suspendRoute } from './moderation/suspend.js';
import { swirlActivityRoute } from './swirl/activity.js';
import { swirlClearRoute } from './swirl/clear.js';
import { swirlFindRoute } from './swirl/find.js';
import { swirlSaveRoute } from './swirl/save.js';
import { swirlSkipRoute } from './swirl/skip.js';
import { swirlStatusRoute } from './swirl/status.js';

/**
 * The roulette's REST routes, under its prefixes (apiPaths.chatroulette, apiPaths.moderation for the
 * moderators, the original's apiPaths.swirl); every route needs a token.
 */
export function mountRoutes(app: Express, ctx: RouletteContext, verify: TokenVerifier, budgets: BudgetFactory, limits: RouletteBudgets): void {
  const base = apiPaths.chatroulette;
  const auth = requireAuth(verify);
  // Per user, across every instance (see the README's budgets); search and find share one.
  const perUser = (name: keyof RouletteBudgets, what: string) => budget(budgets(name, limits[name]), (req) => currentUser(req).userId, what);
  const searches = perUser('searches', 'searches');
  const cancels = perUser('cancels', 'cancels');
  const status = perUser('status', 'status requests');
  const skips = perUser('skips', 'skips');
  const saves = perUser('saves', 'saves');
  const reports = perUser('reports', 'reports');
  app.post(`${base}/search`, auth, searches, searchRoute(ctx));
  app.get(`${base}/find`, auth, searches, searchRoute(ctx));
  app.delete(`${base}/search`, auth, cancels, cancelSearchRoute(ctx));
  app.get(`${base}/status`, auth, status, statusRoute(ctx));
  app.post(`${base}/:chat_id/skip`, auth, skips, skipRoute(ctx));
  app.post(`${base}/:chat_id/save`, auth, saves, saveRoute(ctx));
  app.post(`${base}/:chat_id/report`, auth, reports, reportRoute(ctx));

  const moderation = apiPaths.moderation;
  const moderator = moderatorsOnly(ctx.safety.moderators);
  app.get(`${moderation}/reports`, auth, moderator, reportsRoute(ctx));
  app.post(`${moderation}/users/:user_id/suspend`, auth, moderator, suspendRoute(ctx, true));
  app.delete(`${moderation}/users/:user_id/suspend`, auth, moderator, suspendRoute(ctx, false));

  // The original product's routes, on the same use cases and the same budgets (activity counts as status).
  const swirl = apiPaths.swirl;
  app.get(`${swirl}/find`, auth, searches, swirlFindRoute(ctx));
  app.post(`${swirl}/activity`, auth, status, swirlActivityRoute(ctx));
  app.get(`${swirl}/status`, auth, status, swirlStatusRoute(ctx));
  app.delete(`${swirl}/clear`, auth, cancels, swirlClearRoute(ctx));
  app.post(`${swirl}/:chat_id/skip`, auth, skips, swirlSkipRoute(ctx));
  app.post(`${swirl}/:chat_id/save`, auth, saves, swirlSaveRoute(ctx));
}
