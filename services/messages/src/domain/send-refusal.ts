import { badRequest, conflict } from '@chatroulette/errors';
import { tooManyRequests } from '@chatroulette/http';
import { assertChatFound, assertNotBlocked, assertOpen, assertParticipant } from './chat.js';

/**
 * Why a send stored nothing, as the send statement reports it: the first check that failed, in the
 * order of precedence of the answers. `chat_changed`: every check held when the statement read,
 * but the chat changed before it took the chat's lock (a race: retry). `rate_limited`: every check
 * held, but the sender's send budget had no room (domain/send-rate.ts).
 */
export type SendRefusal = 'client_key_seen' | 'chat_not_found' | 'not_participant' | 'blocked' | 'chat_closed' | 'bad_reply' | 'chat_changed' | 'rate_limited';

const answers: Record<Exclude<SendRefusal, 'client_key_seen'>, (retryAfterMs: number) => void> = {
  chat_not_found: () => assertChatFound(undefined),
  not_participant: () => assertParticipant(false),
  blocked: () => assertNotBlocked(true),
  chat_closed: () => assertOpen({ status: 'closed' }),
  bad_reply: () => {
    throw badRequest('Invalid reply_to_id: not a message of this chat');
  },
  chat_changed: () => {
    throw conflict('The chat changed while sending; retry');
  },
  rate_limited: (retryAfterMs) => {
    throw tooManyRequests('Too many messages; retry later', retryAfterMs);
  },
};

/**
 * Throws the answer to a refused send: the same 404 / 403 / 409 the chat routes give for the same
 * fact, 400 for a bad reply_to_id, 429 with Retry-After when over the send budget. (`client_key_seen`
 * is no error: the first message is answered.)
 */
export function throwRefusal(refusal: Exclude<SendRefusal, 'client_key_seen'>, retryAfterMs = 1000): never {
  answers[refusal](retryAfterMs);
  throw new Error(`unhandled send refusal: ${refusal}`);
}
