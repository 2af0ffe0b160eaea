import { dequeueIdle, idleSearchers, touchSearches } from '../db/queries/queue.js';
import { fetchUsers } from '../clients/auth-users.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';

/** How many idle searchers one run looks at. */
const BATCH = 200;

/**
 * Queue liveness without sockets: a searcher with no search, find or activity call for
 * `idleSearchMs` leaves the queue unless auth (the owner of presence) has a socket of theirs open
 * somewhere; one with a socket is counted as active (the grace rule takes them out once their
 * sockets are gone). Without this, a searcher who searched over REST and never opened a socket
 * would wait forever, and a real user would be matched with that ghost. If auth cannot answer,
 * nobody is removed this run.
 */
export async function expireIdleSearches(ctx: RouletteContext): Promise<number> {
  const idleMs = ctx.rules.idleSearchMs;
  const idle = await idleSearchers(ctx.db, idleMs, BATCH);
  if (idle.length === 0) return 0;
  const users = await fetchUsers(ctx.nc, ctx.subjects, idle);
  const withSocket = idle.filter((id) => users.get(id)?.is_online === true);
  const gone = idle.filter((id) => users.get(id)?.is_online !== true);
  await touchSearches(ctx.db, withSocket);
  // Under the matching lock, so nobody is paired with a searcher in the moment they are removed.
  const removed = await withMatchingLock(ctx, (trx) => dequeueIdle(trx, gone, idleMs));
  for (const userId of removed) ctx.log.info({ userId, idleMs }, 'left the queue: no socket and no search, find or activity call');
  return removed.length;
}
