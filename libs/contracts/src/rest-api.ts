import type { z } from 'zod';
import type { editMessageBody, sendMessageBody } from './message.js';
import type { messagesChatsSave } from './requests.js';
import type { iceServers, loggedIn, loginBody, passwordChangeBody, profile, profileUpdate, registered } from './api/schemas/auth.js';
import type { createChatBody, deletedMessage, historyQuery, likeAnswer, likesAnswer, readerChat } from './api/schemas/chats.js';
import type { errorBody, messageAnswer } from './api/schemas/common.js';
import type { mediaTypes, uploaded } from './api/schemas/media.js';
import type { rouletteStatus, searchBody, skipBody } from './api/schemas/roulette.js';
import type { blockAnswer, blockList, reportList, reportReceived, reportsQuery, suspendBody, suspension } from './api/schemas/safety.js';
import type { reportBody } from './reports.js';

/**
 * The request and answer shapes of the contract's REST routes under the names a client uses
 * (clients/js): each is its zod schema's type (libs/contracts api/schemas), so there is one source.
 * Bodies are the schemas' input types (what a caller may leave out), answers their output types.
 */

/** Every error answer: `{error}`, with `code` (and from the services `request_id`). */
export type ErrorBody = z.infer<typeof errorBody>;

// Auth and sessions
export type Credentials = z.input<typeof loginBody>;
export type RegisterAnswer = z.infer<typeof registered>;
export type LoginAnswer = z.infer<typeof loggedIn>;
/** POST /auth/refresh and PUT /auth/password. */
export type { FreshToken as TokenAnswer } from './api/schemas/auth.js';
export type PasswordChangeBody = z.input<typeof passwordChangeBody>;
export type OwnProfile = z.infer<typeof profile>;
/** PUT /auth/profile: only these; an empty string or null clears one. */
export type ProfileUpdateBody = z.input<typeof profileUpdate>;

// Chats and messages
/** A chat as the list and GET /chats/{id} answer it (with unread_count and last_message). */
export type Chat = z.infer<typeof readerChat>;
export type ChatType = Chat['type'];
export type ChatParticipant = Chat['participants'][number];
export type CreateChatBody = z.input<typeof createChatBody>;
/** The query's parsed form: a client passes numbers, the URL carries them as digits. */
export type HistoryQuery = Partial<z.output<typeof historyQuery>>;
export type SendMessageInput = z.input<typeof sendMessageBody>;
export type EditMessageInput = z.input<typeof editMessageBody>;
export type DeletedMessage = z.infer<typeof deletedMessage>;
/** POST and DELETE /messages/{id}/like. */
export type LikeAnswer = z.infer<typeof likeAnswer>;
/** GET /messages/{id}/likes. */
export type LikesAnswer = z.infer<typeof likesAnswer>;

// Chatroulette
export type RouletteStatus = z.infer<typeof rouletteStatus>;
export type SearchBody = z.input<typeof searchBody>;
export type SkipBody = z.input<typeof skipBody>;
/** POST /chatroulette/{id}/save: the chat, now of type saved, as messages answers roulette. */
export type SaveAnswer = z.output<typeof messagesChatsSave.reply>;

// Media
export type MediaType = (typeof mediaTypes)[number];
export type UploadAnswer = z.infer<typeof uploaded>;
export type MessageAnswer = z.infer<typeof messageAnswer>;

// Video calls
/** GET /rtc/ice-servers: the `iceServers` of an RTCPeerConnection; `ttl`, how long TURN credentials stay valid (s). */
export type IceServersAnswer = z.infer<typeof iceServers>;

// Blocking, reporting, moderation
/** POST and DELETE /users/{id}/block. */
export type BlockAnswer = z.infer<typeof blockAnswer>;
/** GET /users/blocks: whom the caller blocks, the newest first. */
export type BlocksAnswer = z.infer<typeof blockList>;
export type BlockedUser = BlocksAnswer['blocks'][number];
/** POST /chatroulette/{id}/report: a reason of `reportReasons`, details at most 1000 characters. */
export type ReportInput = z.input<typeof reportBody>;
export type ReportAnswer = z.infer<typeof reportReceived>;
export type ReportsQuery = Partial<z.output<typeof reportsQuery>>;
/** GET /moderation/reports: each report with its evidence. */
export type ReportsAnswer = z.infer<typeof reportList>;
export type ModerationReport = ReportsAnswer['reports'][number];
export type SuspendBody = z.input<typeof suspendBody>;
/** POST and DELETE /moderation/users/{id}/suspend: `suspended_until` null once lifted. */
export type SuspensionAnswer = z.infer<typeof suspension>;
