import { apiPaths, limits } from '@chatroulette/contracts';
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

/** Room for the multipart framing around the file (boundaries, part headers, small fields). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * The upload: streamed to media, which reads it as it comes and cuts it off at its kind's limit;
 * the gateway's cap is the largest kind's limit with the form around it.
 */
const upload: BodyPolicy = {
  kind: 'stream',
  maxBytes: Math.max(limits.maxImageBytes, limits.maxVideoBytes, limits.maxVoiceBytes) + MULTIPART_OVERHEAD_BYTES,
};

/** The body policy of a request path: every route takes small JSON bodies, buffered, but the upload. */
export function bodyPolicyFor(upstream: Upstream, path: string): BodyPolicy {
  return upstream === 'media' && (path === apiPaths.upload || path === `${apiPaths.upload}/`) ? upload : buffered;
}
