import { stamp } from '../ws/frames.js';

const filler = 'x'.repeat(120);

/**
 * The exact client frame of a new_message event, as messages would publish it (about 600 bytes),
 * with the send timestamp embedded in the content.
 */
export function newMessageFrame(chatId: string, seq: number, userId: string, sentUs: number): string {
  const now = new Date().toISOString();
  return (
    `{"type":"new_message","chat_id":"${chatId}","seq":${seq},"payload":{"id":"${msgId(seq)}","chat_id":"${chatId}",` +
    `"user_id":"${userId}","type":"text","content":"${stamp(sentUs)} ${filler}","media_url":"","status":"sent",` +
    `"is_edited":false,"edited_at":null,"read_at":null,"read_by":[],"likes_count":0,"liked_by":[],"liked_at":null,` +
    `"created_at":"${now}","user":{"id":"${userId}","username":"bench_user"}}}`
  );
}

function msgId(seq: number): string {
  const hex = seq.toString(16).padStart(12, '0').slice(-12);
  return `00000000-0000-4000-8000-${hex}`;
}
