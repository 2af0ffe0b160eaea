import { userEventTypes, type ChatEventType, type UserEventType } from './events.js';
import type { LiveKind } from './live.js';

/** The event of `user.<id>.<event>` that is auth's presence state (not a frame of the user's own). */
export const userPresenceEventName = 'presence';

/**
 * Every NATS subject the system uses, and nowhere else a subject string.
 * `namespace` prefixes all of them so several deployments (or test files) can share one NATS server.
 */
export function createSubjects(namespace = '') {
  const p = namespace ? `${namespace}.` : '';
  const streamPrefix = namespace ? `${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_` : '';
  return {
    namespace,
    chatEvent: (chatId: string, type: ChatEventType) => `${p}chat.${chatId}.${type}`,
    chatEvents: (chatId: string) => `${p}chat.${chatId}.>`,
    allChatEvents: `${p}chat.>`,
    userEvent: (userId: string, type: UserEventType) => `${p}user.${userId}.${type}`,
    userEvents: (userId: string) => `${p}user.${userId}.>`,
    allUserEvents: `${p}user.>`,
    /** The user events kept in JetStream (USER_EVENTS); presence is a state with an owner, not kept. */
    durableUserEvents: userEventTypes.map((t) => `${p}user.*.${t}`),
    /** Published by auth, the one owner of presence, when a user's online state (across every gateway) changes. */
    userPresence: (userId: string) => `${p}user.${userId}.${userPresenceEventName}`,
    allUserPresence: `${p}user.*.${userPresenceEventName}`,
    presence: (userId: string, state: 'online' | 'offline') => `${p}presence.${userId}.${state}`,
    allPresence: `${p}presence.*.*`,
    /** Typing and WebRTC signals between the gateways of a chat's sockets: core NATS, outside every stream. */
    liveFrame: (chatId: string, kind: LiveKind) => `${p}live.${chatId}.${kind}`,
    liveFrames: (chatId: string) => `${p}live.${chatId}.*`,
    allLiveFrames: `${p}live.>`,
    /** Every gateway says it is alive, so presence it recorded can be expired when it dies. */
    gatewayHeartbeat: `${p}gateway.heartbeat`,

    authKeysGet: `${p}auth.keys.get`,
    authUsersGet: `${p}auth.users.get`,
    /** A user's blocks, both ways (the gateway loads them when the user's first socket is admitted). */
    authBlocksList: `${p}auth.blocks.list`,
    /** A block made by another service for a user (roulette's reports): auth owns blocks. */
    authBlocksCreate: `${p}auth.blocks.create`,
    /** The latest state of one block, published by auth (JetStream BLOCK_EVENTS keeps the last per pair). */
    userBlock: (blockerId: string, blockedId: string) => `${p}block.${blockerId}.${blockedId}`,
    allUserBlocks: `${p}block.*.*`,

    messagesChatsCreate: `${p}messages.chats.create`,
    /** The roulette chats of a batch of matches, in one request. */
    messagesChatsCreateMany: `${p}messages.chats.create_many`,
    messagesChatsMember: `${p}messages.chats.member`,
    messagesChatsEnd: `${p}messages.chats.end`,
    messagesChatsSave: `${p}messages.chats.save`,
    messagesEventsList: `${p}messages.events.list`,
    /** Sending over the socket: the gateway asks messages to store a message / a read, as the REST routes do. */
    messagesSend: `${p}messages.send`,
    messagesRead: `${p}messages.read`,
    messagesDeliveriesReport: `${p}messages.deliveries.report`,
    /** A chat's newest messages as they are now (a report's evidence). */
    messagesChatsRecent: `${p}messages.chats.recent`,

    /** JetStream streams: chat events are owned by messages, user events by roulette, block events by auth. */
    chatEventsStream: `${streamPrefix}CHAT_EVENTS`,
    userEventsStream: `${streamPrefix}USER_EVENTS`,
    blockEventsStream: `${streamPrefix}BLOCK_EVENTS`,

    /** Every request the media service answers starts here (its subjects come with the service). */
    mediaRequests: `${p}media.>`,
    /** The JetStream object store bucket media keeps uploads in (stream OBJ_<bucket>), and its subjects. */
    mediaBucket: `${streamPrefix}MEDIA`,
    mediaObjects: `$O.${streamPrefix}MEDIA.>`,
    /** The JetStream KV bucket of the gateways' shared budgets (per user, per address). */
    budgetsBucket: `${streamPrefix}BUDGETS`,
  } as const;
}

export type Subjects = ReturnType<typeof createSubjects>;

/** The last token of a chat or live subject: the event type or the live kind. */
export function subjectKind(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}

/** Whether the subject's last token is `kind` (the same as subjectKind, without making a string: the gateway's hot path). */
export function subjectIsKind(subject: string, kind: string): boolean {
  const at = subject.length - kind.length;
  return at > 0 && subject.charCodeAt(at - 1) === 46 /* . */ && subject.endsWith(kind);
}

/** Queue groups, so several instances of a service share requests. */
export const queueGroups = {
  auth: 'auth',
  messages: 'messages',
  roulette: 'roulette',
} as const;

/**
 * Reads `[ns.]user.<user_id>.<event>` (what the gateway's one `user.>` subscription receives): the
 * user and the event, or null for another subject.
 */
export function parseUserSubject(subject: string, namespace = ''): { userId: string; event: string } | null {
  const prefix = namespace ? `${namespace}.user.` : 'user.';
  if (!subject.startsWith(prefix)) return null;
  const end = subject.indexOf('.', prefix.length);
  if (end <= prefix.length) return null;
  const event = subject.slice(end + 1);
  if (!event || event.includes('.')) return null;
  return { userId: subject.slice(prefix.length, end), event };
}

/** Reads the user id out of a presence subject `[ns.]presence.<user_id>.<state>`. */
export function parsePresenceSubject(subject: string): { userId: string; state: 'online' | 'offline' } | null {
  const parts = subject.split('.');
  const state = parts.at(-1);
  const userId = parts.at(-2);
  if (!userId || (state !== 'online' && state !== 'offline')) return null;
  return { userId, state };
}
