import { z } from 'zod';
import { readStatePayload } from './events.js';
import { uuid } from './ids.js';
import { messageObject } from './message.js';

/**
 * Sending over the socket (contract "Sending over the socket"): the gateway asks messages to do what
 * POST /chats/{id}/messages and PUT /messages/{id}/read do, for the socket's user. `body` is the
 * client frame's payload as it came: messages checks it as the REST route checks its body, so both
 * answer the same 400s. The replies are those routes' 2xx answers; a refusal is the same typed error.
 * The gateway asks the same for a REST send (`via: 'rest'`), so the 400s name the body, not the payload.
 */
export const messagesSend = {
  request: z.object({ user_id: uuid, username: z.string(), chat_id: uuid, body: z.unknown(), via: z.enum(['rest', 'socket']) }),
  reply: messageObject,
};

export const messagesRead = {
  request: z.object({ user_id: uuid, chat_id: uuid.nullable(), body: z.unknown() }),
  reply: readStatePayload,
};

/** The payload of a `mark_read` frame. */
export const markReadBody = z.object({ message_id: uuid });
