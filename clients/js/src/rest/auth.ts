import type { BlockAnswer, BlocksAnswer, Credentials, LoginAnswer, OwnProfile, PasswordChangeBody, ProfileUpdateBody, PublicProfile, RegisterAnswer, TokenAnswer } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import { seg, type Http } from '../http.js';
import type { Session } from '../session.js';

/** Auth and sessions. The answers that carry a token make it the client's token. */
export function authApi(http: Http, session: Session) {
  const keep = <T extends { token: string }>(answer: T): T => {
    session.set(answer.token);
    return answer;
  };
  return {
    /** POST /auth/register: 201; 409 taken; 400 invalid. */
    register: async (body: Credentials) => keep(await http<RegisterAnswer>('POST', `${paths.auth}/register`, { body, auth: false })),
    /** POST /auth/login: 401 wrong; 429 while the username is locked (retryAfter). */
    login: async (body: Credentials) => keep(await http<LoginAnswer>('POST', `${paths.auth}/login`, { body, auth: false })),
    /** POST /auth/refresh: a fresh token for the current one. */
    refresh: async () => keep(await http<TokenAnswer>('POST', `${paths.auth}/refresh`)),
    /** POST /auth/logout: the token is refused from now on (its sockets close with 4401); the client forgets it. */
    logout: async () => {
      await http<void>('POST', `${paths.auth}/logout`);
      session.set(null);
    },
    /** PUT /auth/password: every earlier token is refused; the answer's token becomes the client's. */
    changePassword: async (body: PasswordChangeBody) => keep(await http<TokenAnswer>('PUT', `${paths.auth}/password`, { body })),
    /** GET /auth/profile */
    profile: () => http<OwnProfile>('GET', `${paths.auth}/profile`),
    /** PUT /auth/profile */
    updateProfile: (body: ProfileUpdateBody) => http<OwnProfile>('PUT', `${paths.auth}/profile`, { body }),
  };
}

/** Other users, and whom the caller blocks. */
export function usersApi(http: Http) {
  const block = (userId: string) => `${paths.users}/${seg(userId)}/block`;
  return {
    /** GET /users/{id}/profile: 404 unknown. */
    profile: (userId: string) => http<PublicProfile>('GET', `${paths.users}/${seg(userId)}/profile`),
    /**
     * POST /users/{id}/block: never matched again, no messages, likes, typing or signals either way;
     * a live roulette chat of the two ends at once (a skip by the caller). Again: the same answer. 400 oneself; 404 unknown.
     */
    block: (userId: string) => http<BlockAnswer>('POST', block(userId)),
    /** DELETE /users/{id}/block */
    unblock: (userId: string) => http<BlockAnswer>('DELETE', block(userId)),
    /** GET /users/blocks: whom the caller blocks, the newest first. */
    blocks: () => http<BlocksAnswer>('GET', `${paths.users}/blocks`),
  };
}
