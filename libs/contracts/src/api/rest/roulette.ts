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
];
