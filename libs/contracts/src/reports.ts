import { z } from 'zod';
import { uuid } from './ids.js';
import { limits } from './limits.js';
import { messageObject } from './message.js';

export const reportReasons = ['spam', 'harassment', 'nudity', 'underage', 'violence', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/** Body of POST /chatroulette/{chat_id}/report. */
export const reportBody = z.object({
  reason: z.enum(reportReasons),
  details: z.string().max(limits.maxReportDetails, `must be at most ${limits.maxReportDetails} characters`).optional(),
});
export type ReportBody = z.infer<typeof reportBody>;

/** How many of a chat's newest messages a report keeps as its evidence. */
export const REPORT_EVIDENCE_MESSAGES = 50;

/** A chat's newest live messages as they are now, oldest first: what a report keeps. */
export const messagesChatsRecent = {
  request: z.object({ chat_id: uuid, limit: z.number().int().min(1).max(100) }),
  reply: z.object({ messages: z.array(messageObject) }),
};
