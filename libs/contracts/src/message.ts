import { z } from 'zod';
import { limits } from './limits.js';
import { uuid } from './ids.js';

export const messageTypes = ['text', 'image', 'video', 'voice', 'sticker', 'gif'] as const;
export type MessageType = (typeof messageTypes)[number];

export const messageStatuses = ['sent', 'delivered', 'read', 'edited', 'deleted'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** The message object of REST answers, the history and the new_message payload, field for field. */
export interface MessageObject {
  id: string;
  chat_id: string;
  user_id: string;
  type: MessageType;
  content: string;
  media_url: string;
  status: MessageStatus;
  is_edited: boolean;
  edited_at: string | null;
  read_at: string | null;
  read_by: string[];
  likes_count: number;
  liked_by: string[];
  liked_at: string | null;
  created_at: string;
  user: { id: string; username: string };
}

/** Body of POST /chats/{id}/messages: text needs content, the media types need media_url. */
export const sendMessageBody = z
  .object({
    type: z.enum(messageTypes),
    content: z.string().max(limits.maxContentLength).optional().default(''),
    media_url: z
      .string()
      .max(limits.maxMediaUrlLength)
      .refine((u) => u === '' || isAllowedMediaUrl(u), 'must be an https:// or http:// URL or a path starting with /uploads/')
      .optional()
      .default(''),
    reply_to_id: uuid.nullish(),
    /** The client's own id for this message: a retried send with the same id stores nothing new. */
    client_message_id: z.string().min(1).max(100).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.type === 'text' && body.content.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'must not be empty for a text message' });
    }
    if (body.type !== 'text' && body.media_url.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['media_url'], message: `is required for a ${body.type} message` });
    }
  });
export type SendMessageBody = z.infer<typeof sendMessageBody>;

/**
 * What a message's media_url may be: an http(s) URL or a path of the media service's downloads.
 * Any other scheme (javascript:, data:, file:) could run or read something in a client that renders it.
 */
export function isAllowedMediaUrl(url: string): boolean {
  if (url.startsWith('/uploads/')) return !url.startsWith('/uploads//') && !url.includes('\\');
  return /^https?:\/\/[^/\\\s]/i.test(url);
}

export const editMessageBody = z.object({
  content: z
    .string()
    .max(limits.maxContentLength)
    .refine((s) => s.trim() !== '', 'must not be empty'),
});
