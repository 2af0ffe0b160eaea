import { apiPaths } from '../../rest-routes.js';
import {
  freshToken,
  iceServers,
  legacyProfile,
  legacyProfileUpdate,
  loggedIn,
  loginBody,
  onlineStatus,
  onlineStatusBody,
  passwordChangeBody,
  profile,
  profileUpdate,
  publicProfile,
  registerBody,
  registered,
} from '../schemas/auth.js';
import { blockAnswer, blockList } from '../schemas/safety.js';
import { json, route, type RestRoute } from './route.js';

const legacyToken = 'The token carries the claim `legacy: true`: the list routes answer it in the original\'s shapes.';

const register = (path: string, tag: 'auth' | 'legacy') =>
  route({
    method: 'post',
    path,
    tag,
    summary: tag === 'auth' ? 'Register' : 'Register (the original product\'s route)',
    description: `Username: 3 to 32 of letters, digits, \`_\`, \`.\`, \`-\`, unique without regard to case. Password: 8 to 128 characters.${tag === 'legacy' ? ` ${legacyToken}` : ''}`,
    auth: 'none',
    body: { schema: registerBody, example: { username: 'vasya', password: 'correct horse battery' } },
    answers: { 201: json('The new user and a token', registered) },
    errors: [400, 409],
  });

const login = (path: string, tag: 'auth' | 'legacy') =>
  route({
    method: 'post',
    path,
    tag,
    summary: tag === 'auth' ? 'Log in' : 'Log in (the original product\'s route)',
    description: `A wrong password and an unknown user get the same 401; repeated failures lock the username for a while (429).${tag === 'legacy' ? ` ${legacyToken}` : ''}`,
    auth: 'none',
    body: { schema: loginBody, example: { username: 'vasya', password: 'correct horse battery' } },
    answers: { 200: json('The user and a token', loggedIn) },
    errors: [400, 401],
  });

/** Auth's routes: accounts, sessions, profiles (the owner of apiPaths.auth, apiPaths.users and the original's). */
export const authRoutes: RestRoute[] = [
  register(`${apiPaths.auth}/register`, 'auth'),
  login(`${apiPaths.auth}/login`, 'auth'),
  route({
    method: 'post',
    path: `${apiPaths.auth}/refresh`,
    tag: 'sessions',
    summary: 'A fresh token for a valid one',
    auth: 'bearer',
    answers: { 200: json('The new token and when it expires', freshToken) },
  }),
  route({
    method: 'post',
    path: `${apiPaths.auth}/logout`,
    tag: 'sessions',
    summary: 'Log out: this token is refused from now on',
    description: 'REST answers 401 to it; its sockets are closed with 4401 within 5 s.',
    auth: 'bearer',
    answers: { 204: { description: 'Logged out' } },
  }),
  route({
    method: 'put',
    path: `${apiPaths.auth}/password`,
    tag: 'sessions',
    summary: 'Change the password',
    description: 'Every token issued before is refused from then on; the answer is a fresh one.',
    auth: 'bearer',
    body: { schema: passwordChangeBody, example: { current_password: 'correct horse battery', new_password: 'battery staple horse' } },
    answers: { 200: json('A fresh token', freshToken) },
    errors: [400],
  }),
  route({
    method: 'get',
    path: `${apiPaths.auth}/profile`,
    tag: 'auth',
    summary: 'The own profile',
    auth: 'bearer',
    answers: { 200: json('The caller\'s profile', profile) },
    errors: [404],
  }),
  route({
    method: 'put',
    path: `${apiPaths.auth}/profile`,
    tag: 'auth',
    summary: 'Edit the own profile',
    description: 'Only these fields; an empty string clears one. Unknown fields are refused.',
    auth: 'bearer',
    body: { schema: profileUpdate, example: { display_name: 'Vasya', bio: 'Likes chess', avatar_url: 'https://example.com/vasya.png' } },
    answers: { 200: json('The updated profile', profile) },
    errors: [400, 404],
  }),
  route({
    method: 'get',
    path: `${apiPaths.users}/{user_id}/profile`,
    tag: 'users',
    summary: 'Another user\'s public profile',
    description: 'The fields its owner hides (username, online status, birthday) are left out.',
    auth: 'bearer',
    answers: { 200: json('The public profile', publicProfile) },
    errors: [404],
  }),

  register(apiPaths.legacyRegister, 'legacy'),
  login(apiPaths.legacyLogin, 'legacy'),
  route({
    method: 'get',
    path: apiPaths.legacyProfile,
    tag: 'legacy',
    summary: 'The own profile, the original\'s view',
    auth: 'bearer',
    answers: { 200: json('Ours, plus profile_photo, birthday and the privacy settings', legacyProfile) },
    errors: [404],
  }),
  route({
    method: 'put',
    path: apiPaths.legacyProfile,
    tag: 'legacy',
    summary: 'Edit the own profile, the original\'s fields too',
    auth: 'bearer',
    body: { schema: legacyProfileUpdate, example: { profile_photo: 'https://example.com/vasya.png', birthday: '2000-02-29', show_birthday: true } },
    answers: { 200: json('The updated profile, the original\'s view', legacyProfile) },
    errors: [400, 404],
  }),
  route({
    method: 'post',
    path: `${apiPaths.legacyProfile}/online`,
    tag: 'legacy',
    summary: 'The own online state',
    description: 'The body is ignored: presence comes from the sockets.',
    auth: 'bearer',
    body: { schema: onlineStatusBody, required: false, example: { is_online: true } },
    answers: { 200: json('The online state as the sockets made it', onlineStatus) },
    errors: [404],
  }),

  ...(['post', 'delete'] as const).map((method) =>
    route({
      method,
      path: `${apiPaths.users}/{user_id}/block`,
      tag: 'safety',
      summary: method === 'post' ? 'Block a user' : 'Unblock a user',
      description:
        method === 'post'
          ? 'Again: the same answer. Either way round, a blocked pair is never matched again, a live roulette chat between them ends at once (a skip by the blocker), and sends, likes, typing and rtc_signal between them are refused everywhere.'
          : 'The pair may meet again; what was refused stays refused.',
      auth: 'bearer',
      answers: { 200: json(method === 'post' ? 'Blocked' : 'Not blocked', blockAnswer) },
      errors: method === 'post' ? [400, 404] : [400],
    }),
  ),
  route({
    method: 'get',
    path: `${apiPaths.users}/blocks`,
    tag: 'safety',
    summary: 'The users the caller blocks',
    auth: 'bearer',
    answers: { 200: json('The blocks, the newest first', blockList) },
  }),
  route({
    method: 'get',
    path: `${apiPaths.rtc}/ice-servers`,
    tag: 'rtc',
    summary: 'The STUN and TURN servers for a video call',
    description: 'STUN entries from STUN_URLS; TURN entries from TURN_URLS with credentials valid for `ttl` seconds. `[]` when neither is configured. Not cached (the credentials are per user and expire).',
    auth: 'bearer',
    answers: { 200: json('The ICE servers, as RTCPeerConnection takes them', iceServers) },
  }),
];
