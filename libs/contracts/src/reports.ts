import { z } from 'zod';
import { uuid } from './ids.js';
import { limits } from './limits.js';
import { messageStatuses, messageTypes, type MessageObject } from './message.js';

export const reportReasons = ['spam', 'harassment', 'nudity', 'underage', 'violence', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/** Body of POST /chatroulette/{chat_id}/report. */
export const reportBody = z.object({
  reason: z.enum(reportReasons),
  details: z.string().max(limits.maxReportDetails, `must be at most ${limits.maxReportDetails} characters`).optional(),
});
export type ReportBody = z.infer<typeof reportBody>;

/** The message object (message.ts) as a schema, for payloads that carry messages between services. */
export const messageObject: z.ZodType<MessageObject> = z.object({
  id: uuid,
  chat_id: uuid,
  user_id: uuid,
  type: z.enum(messageTypes),
  content: z.string(),
  media_url: z.string(),
  status: z.enum(messageStatuses),
  is_edited: z.boolean(),
  edited_at: z.string().nullable(),
  read_at: z.string().nullable(),
  read_by: z.array(z.string()),
  likes_count: z.number().int(),
  liked_by: z.array(z.string()),
  liked_at: z.string().nullable(),
  created_at: z.string(),
  user: z.object({ id: z.string(), username: z.string() }),
});

/** How many of a chat's newest messages a report keeps as its evidence. */
export const REPORT_EVIDENCE_MESSAGES = 50;

/** A chat's newest live messages as they are now, oldest first: what a report keeps. */
export const messagesChatsRecent = {
  request: z.object({ chat_id: uuid, limit: z.number().int().min(1).max(100) }),
  reply: z.object({ messages: z.array(messageObject) }),
};
