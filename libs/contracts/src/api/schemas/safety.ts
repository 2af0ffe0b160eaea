import { z } from 'zod';
import { isoTime, uuid } from '../../ids.js';
import { messageObject } from '../../message.js';
import { reportReasons } from '../../reports.js';

/** 200 of POST and DELETE /users/{user_id}/block. */
export const blockAnswer = z.object({ user_id: uuid, blocked: z.boolean() });

/** 200 of GET /users/blocks: whom the caller blocks, the newest first. */
export const blockList = z.object({ blocks: z.array(z.object({ user_id: uuid, username: z.string(), blocked_at: isoTime })) });

/** 201 of POST /chatroulette/{chat_id}/report. */
export const reportReceived = z.object({ report_id: uuid, status: z.literal('received') });

/** Body of POST /moderation/users/{user_id}/suspend. */
export const suspendBody = z.object({ hours: z.number().int().min(1).max(8760) });

/** Query of GET /moderation/reports: `status` open (the default) or resolved. */
export const reportsQuery = z.object({ status: z.enum(['open', 'resolved']).default('open') });

/** 200 of GET /moderation/reports: each report with its evidence, the chat's last messages as they were. */
export const reportList = z.object({
  reports: z.array(
    z.object({
      id: uuid,
      reporter_id: uuid,
      reported_id: uuid,
      chat_id: uuid,
      reason: z.enum(reportReasons),
      details: z.string().nullable(),
      created_at: isoTime,
      status: z.enum(['open', 'resolved']),
      messages: z.array(messageObject),
    }),
  ),
});

/** 200 of POST and DELETE /moderation/users/{user_id}/suspend. */
export const suspension = z.object({ user_id: uuid, suspended_until: isoTime.nullable() });
