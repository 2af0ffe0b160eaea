import { limits } from '@chatroulette/contracts';
import type { Upstream } from './route-table.js';

/**
 * How the gateway takes a route's request body:
 * - `buffer`: whole (up to `maxBytes`, within the body timeout) before anything goes upstream, so a
 *   client that trickles its body holds gateway memory for a bounded time and never an upstream
 *   connection; a buffered body can be sent again to the next origin after a refused connection;
 * - `stream`: fed upstream as it arrives, with backpressure (for large uploads, where holding the
 *   body whole is the wrong trade; the upstream then bounds its own read time).
 */
export type BodyPolicy = { kind: 'buffer'; maxBytes: number } | { kind: 'stream'; maxBytes: number };

const buffered: BodyPolicy = { kind: 'buffer', maxBytes: limits.maxBodyBytes };

/**
 * The body policy of a request path. Every route of the contract takes small JSON bodies, so all
 * are buffered; a media upload route would be the one to answer `stream` here.
 */
export function bodyPolicyFor(_upstream: Upstream, _path: string): BodyPolicy {
  return buffered;
}
