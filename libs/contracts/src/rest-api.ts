import type { z } from 'zod';
import type { ChatEventPayloads, LikesPayload } from './events.js';
import type { editMessageBody, sendMessageBody } from './message.js';
import type { messagesChatsSave, PublicUser } from './requests.js';

/**
 * The request and answer shapes of the contract's REST routes, as a client sees them (docs/contract.md).
 * Bodies whose schema lives here are its input type; the others are written out once, here.
 */

/** Every error answer: `{error}`, with `code` (and from the services `request_id`). */
export interface ErrorBody {
  error: string;
  code?: string;
  request_id?: string;
  /** A suspended user's search (403 `suspended`). */
  suspended_until?: string;
}

// Auth and sessions

export interface Credentials {
  username: string;
  password: string;
}
export interface RegisterAnswer {
  user: { id: string; username: string; created_at: string };
  token: string;
}
export interface LoginAnswer {
  user: PublicUser;
  token: string;
}
/** POST /auth/refresh and PUT /auth/password. */
export interface TokenAnswer {
  token: string;
  expires_at: string;
}
export interface PasswordChangeBody {
  current_password: string;
  new_password: string;
}
export interface OwnProfile extends PublicUser {
  created_at: string;
  display_name: string | null;
  bio: string | null;
  avatar_url: string | null;
}
/** PUT /auth/profile: only these; an empty string or null clears one. */
export interface ProfileUpdateBody {
  display_name?: string | null;
  bio?: string | null;
  avatar_url?: string | null;
}
/** GET /users/{id}/profile: fields its owner hides are left out. */
export interface PublicProfile {
  id: string;
  username?: string;
  is_online?: boolean;
  last_seen?: string | null;
  created_at: string;
  display_name: string | null;
  bio: string | null;
  avatar_url: string | null;
  birthday?: string;
}

// Chats and messages

export type ChatType = 'private' | 'roulette' | 'saved';
export interface ChatParticipant {
  user_id: string;
  username: string;
}
export interface Chat {
  id: string;
  type: ChatType;
  name: string;
  description: string;
  status: string;
  created_by: string | null;
  created_at: string;
  /** The chat's last event seq: a socket opened with `since` = this continues where the history ends. */
  last_seq: number;
  participants: ChatParticipant[];
}
export interface CreateChatBody {
  type?: 'private';
  participant_ids: string[];
  name?: string;
  description?: string;
}
export interface HistoryQuery {
  limit?: number;
  offset?: number;
  /** A message id: the page ends just before it. */
  before?: string;
}
export type SendMessageInput = z.input<typeof sendMessageBody>;
export type EditMessageInput = z.input<typeof editMessageBody>;
export interface DeletedMessage {
  message_id: string;
}
/** PUT /messages/{id}/read and GET /messages/{id}/status, as the message_status_update payload. */
export type ReadState = ChatEventPayloads['message_status_update'];
/** POST and DELETE /messages/{id}/like. */
export interface LikeAnswer extends LikesPayload {
  is_liked: boolean;
}
/** GET /messages/{id}/likes. */
export interface LikesAnswer extends LikesPayload {
  is_liked_by_user: boolean;
}

// Chatroulette

export type RouletteState =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'matched'; chat_id: string; user: PublicUser };
export type RouletteStatus = RouletteState & { queue_size: number };
export interface SearchBody {
  interests?: string[];
}
export interface SkipBody {
  /** Search again at once (the answer is then the next search state). */
  requeue?: boolean;
  interests?: string[];
}
/** POST /chatroulette/{id}/save: the chat, now of type saved, as messages answers roulette. */
export type SaveAnswer = z.output<typeof messagesChatsSave.reply>;

// Media

export type MediaType = 'image' | 'video' | 'voice';
export interface UploadAnswer {
  file_id: string;
  /** `/uploads/{user_id}/{file_id}`, on the gateway's origin: a message's media_url. */
  file_url: string;
  media_type: MediaType;
  size: number;
  content_type: string;
  created_at: string;
}
export interface MessageAnswer {
  message: string;
}

// Video calls

/** One entry of RTCConfiguration.iceServers: STUN without credentials, TURN with time-limited ones. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}
/** GET /rtc/ice-servers: `ttl` is how long a TURN credential stays valid (seconds). */
export interface IceServersAnswer {
  ice_servers: IceServer[];
  ttl: number;
}
