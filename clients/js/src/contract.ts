import type { apiPaths, closeCodes as contractCloseCodes, ReportReason } from '@chatroulette/contracts';

/*
 * The few runtime values of the contract the client needs. It imports only types from
 * libs/contracts (so it carries no zod and no server code); `satisfies` holds each value equal to
 * the contract's, so a change there fails the client's type check instead of drifting.
 */

export const paths = {
  auth: '/api/v1/auth',
  users: '/api/v1/users',
  chats: '/api/v1/chats',
  messages: '/api/v1/messages',
  chatroulette: '/api/v1/chatroulette',
  upload: '/api/v1/upload',
  uploads: '/api/v1/uploads',
  rtc: '/api/v1/rtc',
  moderation: '/api/v1/moderation',
} as const satisfies Partial<typeof apiPaths>;

/** What a report may give as its reason (POST /chatroulette/{id}/report), for a form's choices. */
export const reportReasons = ['spam', 'harassment', 'nudity', 'underage', 'violence', 'other'] as const satisfies readonly ReportReason[];
// And every reason of the contract is listed: a missing one makes this a type error naming it.
type MissingReason = Exclude<ReportReason, (typeof reportReasons)[number]>;
const everyReasonListed: [MissingReason] extends [never] ? true : MissingReason = true;

/** The socket's path on the gateway. */
export const socketPath = '/api/v1/ws';

export const closeCodes = {
  goingAway: 1001,
  tooLarge: 1009,
  slowConsumer: 4001,
  tokenExpired: 4401,
  authTimeout: 4408,
  authFailed: 4501,
  notMember: 4503,
  tryAgainLater: 1013,
} as const satisfies typeof contractCloseCodes;
