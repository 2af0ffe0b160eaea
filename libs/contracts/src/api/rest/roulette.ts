import { messagesChatsSave } from '../../requests.js';
import { apiPaths } from '../../rest-routes.js';
import {
  rouletteState,
  rouletteStatus,
  searchBody,
  searchMatched,
  searchSearching,
  skipBody,
  swirlActivity,
  swirlFound,
  swirlSaved,
  swirlState,
  swirlStatus,
} from '../schemas/roulette.js';
import { reportBody } from '../../reports.js';
import { reportList, reportReceived, reportsQuery, suspendBody, suspension } from '../schemas/safety.js';
import { json, route, type RestRoute } from './route.js';

const roulette = apiPaths.chatroulette;
const swirl = apiPaths.swirl;
const searchAnswers = {
  200: json('A partner was waiting: matched (chatroulette_match goes to both)', searchMatched),
  202: json('Nobody yet: searching (chatroulette_match comes on the socket)', searchSearching),
};
const searchDescription = 'A second search while searching or matched answers the current state.';

/** The roulette service's routes (apiPaths.chatroulette, and the original's apiPaths.swirl). */
export const rouletteRoutes: RestRoute[] = [
  route({
    method: 'post',
    path: `${roulette}/search`,
    tag: 'roulette',
    summary: 'Search for a partner',
    description: `${searchDescription} With interests, a partner sharing one is preferred for a few seconds.`,
    auth: 'bearer',
    body: { schema: searchBody, required: false, example: { interests: ['music', 'chess'] } },
    answers: searchAnswers,
    errors: [400, 403],
  }),
  route({
    method: 'get',
    path: `${roulette}/find`,
    tag: 'roulette',
    summary: 'Search for a partner (as POST search, without interests)',
    description: searchDescription,
    auth: 'bearer',
    answers: searchAnswers,
    errors: [403],
  }),
  route({
    method: 'delete',
    path: `${roulette}/search`,
    tag: 'roulette',
    summary: 'Stop searching',
    auth: 'bearer',
    answers: { 200: json('Idle (or the match the caller is already in)', rouletteState) },
  }),
  route({
    method: 'get',
    path: `${roulette}/status`,
    tag: 'roulette',
    summary: 'The caller\'s roulette state',
    auth: 'bearer',
    answers: { 200: json('The state and the queue\'s size', rouletteStatus) },
  }),
  route({
    method: 'post',
    path: `${roulette}/{chat_id}/skip`,
    tag: 'roulette',
    summary: 'Leave the match',
    description: 'The partner gets chatroulette_left. With `requeue`, the caller searches again at once.',
    auth: 'bearer',
    body: { schema: skipBody, required: false, example: { requeue: true } },
    answers: { 200: json('The caller\'s next state', rouletteState) },
    errors: [400, 403, 404],
  }),
  route({
    method: 'post',
    path: `${roulette}/{chat_id}/save`,
    tag: 'roulette',
    summary: 'Keep the roulette chat',
    description: 'A saved chat stays open after the match ends.',
    auth: 'bearer',
    answers: { 200: json('The saved chat', messagesChatsSave.reply) },
    errors: [400, 403, 404, 409],
  }),

  route({
    method: 'get',
    path: `${swirl}/find`,
    tag: 'legacy',
    summary: 'Search (the original\'s): matched or 404',
    description: 'Nobody yet: 404, and the caller stays in the queue (its clients poll this).',
    auth: 'bearer',
    answers: { 200: json('The partner and the chat', swirlFound) },
    errors: [403, 404],
  }),
  route({
    method: 'post',
    path: `${swirl}/activity`,
    tag: 'legacy',
    summary: 'Keep a searcher without a socket in the queue',
    auth: 'bearer',
    answers: { 200: json('Whether the caller is searching', swirlActivity) },
  }),
  route({
    method: 'get',
    path: `${swirl}/status`,
    tag: 'legacy',
    summary: 'The queue\'s size (the original\'s)',
    auth: 'bearer',
    answers: { 200: json('The queue, with the caller\'s state', swirlStatus) },
  }),
  route({
    method: 'delete',
    path: `${swirl}/clear`,
    tag: 'legacy',
    summary: 'End the caller\'s own search (the original\'s)',
    auth: 'bearer',
    answers: { 200: json('Cleared, with the caller\'s state', swirlState) },
  }),
  route({
    method: 'post',
    path: `${swirl}/{chat_id}/skip`,
    tag: 'legacy',
    summary: 'Leave the match (the original\'s)',
    auth: 'bearer',
    answers: { 200: json('Skipped, with the caller\'s state', swirlState) },
    errors: [400, 403, 404],
  }),
  route({
    method: 'post',
    path: `${swirl}/{chat_id}/save`,
    tag: 'legacy',
    summary: 'Keep the roulette chat (the original\'s)',
    auth: 'bearer',
    answers: { 200: json('Saved', swirlSaved) },
    errors: [400, 403, 404, 409],
  }),
  route({
    method: 'post',
    path: `${roulette}/{chat_id}/report`,
    tag: 'safety',
    summary: 'Report the partner of a roulette chat',
    description:
      'Blocks the reported user for the caller, ends the match as a skip, and keeps the chat\'s last 50 messages as they were. Reports by REPORT_SUSPEND_THRESHOLD different users within REPORT_WINDOW_HOURS suspend the user from the roulette.',
    auth: 'bearer',
    body: { schema: reportBody, example: { reason: 'spam', details: 'Links to a shop, again and again' } },
    answers: { 201: json('Received', reportReceived) },
    errors: [400, 403, 404, 409],
  }),
  route({
    method: 'get',
    path: `${apiPaths.moderation}/reports`,
    tag: 'safety',
    summary: 'Reports with their evidence (moderators)',
    description: 'Moderators are the users named in MODERATOR_USERNAMES; others get 403.',
    auth: 'bearer',
    query: reportsQuery,
    answers: { 200: json('The reports, the newest first', reportList) },
    errors: [400, 403],
  }),
  ...(['post', 'delete'] as const).map((method) =>
    route({
      method,
      path: `${apiPaths.moderation}/users/{user_id}/suspend`,
      tag: 'safety',
      summary: method === 'post' ? 'Suspend a user from the roulette (moderators)' : 'Lift a suspension (moderators)',
      description: method === 'post' ? 'Out of the queue and out of a live match at once; search and find answer 403 `suspended` until then. Logged with who did it.' : 'Logged with who did it.',
      auth: 'bearer',
      ...(method === 'post' ? { body: { schema: suspendBody, example: { hours: 24 } } } : {}),
      answers: { 200: json(method === 'post' ? 'Suspended until' : 'Not suspended', suspension) },
      errors: method === 'post' ? [400, 403, 404] : [400, 403],
    }),
  ),
];
