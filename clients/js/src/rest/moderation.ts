import type { ReportsAnswer, ReportsQuery, SuspendBody, SuspensionAnswer } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import { seg, type Http } from '../http.js';

/** Moderation, for the users named in the backend's MODERATOR_USERNAMES (anyone else: 403). */
export function moderationApi(http: Http) {
  const suspension = (userId: string) => `${paths.moderation}/users/${seg(userId)}/suspend`;
  return {
    /** GET /moderation/reports?status=open|resolved: each with the chat's last messages as they were. */
    reports: (query: ReportsQuery = {}) => http<ReportsAnswer>('GET', `${paths.moderation}/reports`, { query: { ...query } }),
    /** POST /moderation/users/{id}/suspend: out of the roulette (its queue and a live match) for `hours`. */
    suspend: (userId: string, body: SuspendBody) => http<SuspensionAnswer>('POST', suspension(userId), { body }),
    /** DELETE /moderation/users/{id}/suspend */
    lift: (userId: string) => http<SuspensionAnswer>('DELETE', suspension(userId)),
  };
}
