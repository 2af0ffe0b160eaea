import { z } from 'zod';
import { limits } from './limits.js';
import { isoTime, uuid } from './ids.js';

export const messageTypes = ['text', 'image', 'video', 'voice', 'sticker', 'gif'] as const;
export type MessageType = (typeof messageTypes)[number];

export const messageStatuses = ['sent', 'delivered', 'read', 'edited', 'deleted'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** The message object of REST answers, the history and the new_message payload, field for field. */
export const messageObject = z
  .object({
    id: uuid,
    chat_id: uuid,
    user_id: uuid,
    type: z.enum(messageTypes),
    content: z.string(),
    /** '' for a text message. */
    media_url: z.string(),
    status: z.enum(messageStatuses),
    is_edited: z.boolean(),
    edited_at: isoTime.nullable(),
    /** The first read by another participant. */
    read_at: isoTime.nullable(),
    read_by: z.array(uuid),
    likes_count: z.number().int().nonnegative(),
    liked_by: z.array(uuid),
    /** The latest like. */
    liked_at: isoTime.nullable(),
    created_at: isoTime,
    user: z.object({ id: uuid, username: z.string() }),
  })
  .meta({
    id: 'Message',
    description: 'A message, as REST answers it and the new_message event carries it.',
    examples: [
      {
        id: '6b1f7d0e-2c3a-4f5b-8e9d-0a1b2c3d4e5f',
        chat_id: '3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11',
        user_id: '8e6f0c1e-5b7a-4d2c-9f10-3a4b5c6d7e8f',
        type: 'text',
        content: 'Hello!',
        media_url: '',
        status: 'sent',
        is_edited: false,
        edited_at: null,
        read_at: null,
        read_by: [],
        likes_count: 0,
        liked_by: [],
        liked_at: null,
        created_at: '2025-10-03T10:00:00.000Z',
        user: { id: '8e6f0c1e-5b7a-4d2c-9f10-3a4b5c6d7e8f', username: 'vasya' },
      },
    ],
  });
export type MessageObject = z.infer<typeof messageObject>;

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

/** Body of PUT /messages/{id}/edit. */
export const editMessageBody = z.object({
  content: z
    .string()
    .max(limits.maxContentLength)
    .refine((s) => s.trim() !== '', 'must not be empty'),
});
