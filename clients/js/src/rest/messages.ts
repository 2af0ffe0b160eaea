import type { DeletedMessage, EditMessageInput, LikeAnswer, LikesAnswer, MessageObject, ReadState } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import { seg, type Http } from '../http.js';

/** One message: edits, deletes, reads, likes (the author only edits and deletes: 403). */
export function messagesApi(http: Http) {
  const at = (messageId: string, rest = '') => `${paths.messages}/${seg(messageId)}${rest}`;
  return {
    /** PUT /messages/{id}/edit */
    edit: (messageId: string, body: EditMessageInput) => http<MessageObject>('PUT', at(messageId, '/edit'), { body }),
    /** DELETE /messages/{id} */
    delete: (messageId: string) => http<DeletedMessage>('DELETE', at(messageId)),
    /** PUT /messages/{id}/read (one's own message: nothing changes). */
    read: (messageId: string) => http<ReadState>('PUT', at(messageId, '/read')),
    /** GET /messages/{id}/status */
    status: (messageId: string) => http<ReadState>('GET', at(messageId, '/status')),
    /** POST /messages/{id}/like (again: the same state, no event). */
    like: (messageId: string) => http<LikeAnswer>('POST', at(messageId, '/like')),
    /** DELETE /messages/{id}/like */
    unlike: (messageId: string) => http<LikeAnswer>('DELETE', at(messageId, '/like')),
    /** GET /messages/{id}/likes */
    likes: (messageId: string) => http<LikesAnswer>('GET', at(messageId, '/likes')),
  };
}
