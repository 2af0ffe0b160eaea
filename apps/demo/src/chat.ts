import type { Chat, MessageObject, ServerFrame } from '@chatroulette/client';
import { refreshChats } from './chats.js';
import { client, errorText } from './client.js';
import { live } from './live.js';
import { stoppedTyping } from './typing.js';
import { session } from './session.js';
import { Store } from './store.js';

export interface Partner {
  id: string;
  username: string;
  online: boolean;
}

export interface ChatState {
  chatId: string;
  chat: Chat | null;
  partner: Partner | null;
  /** Oldest first, one per id. */
  messages: MessageObject[];
  loading: boolean;
  /** A roulette chat that ended (the partner left) and was not saved: read only. */
  closed: boolean;
  /** Who is typing right now (the partner's username), or null. */
  typing: string | null;
  notice: string | null;
  error: string | null;
}

/** The chat on screen, or null (the start page). */
export const openChat = new Store<ChatState | null>(null);

/** A partner's typing is shown this long after their last `is_typing: true` (the contract says about 5 s). */
const TYPING_SHOWN_MS = 5000;
const HISTORY_PAGE = 100;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
/** Messages of others asked to be marked read, so each is asked once. */
const marked = new Set<string>();

const me = () => session.value.me;
const patch = (chatId: string, change: Partial<ChatState> | ((s: ChatState) => Partial<ChatState>)) =>
  openChat.update((s) => (s && s.chatId === chatId ? { ...s, ...(typeof change === 'function' ? change(s) : change) } : s));

/**
 * Shows a chat: its history first, then its socket from the seq the history ends at (so no event
 * falls between them). `partner` is known from a match; otherwise it comes from the participants.
 */
export async function showChat(chatId: string, known?: { partner: Partner }): Promise<void> {
  if (openChat.value?.chatId === chatId) return;
  clearTimeout(typingTimer);
  openChat.set({ chatId, chat: null, partner: known?.partner ?? null, messages: [], loading: true, closed: false, typing: null, notice: null, error: null });
  try {
    const { chat, messages } = await loadHistory(chatId);
    const other = chat.participants.find((p) => p.user_id !== me()?.id);
    const partner = known?.partner ?? (other ? { id: other.user_id, username: other.username, online: false } : null);
    // Another chat was opened meanwhile: this one's socket is not wanted any more.
    if (openChat.value?.chatId !== chatId) return;
    patch(chatId, { chat, partner, messages, loading: false, closed: chat.status === 'closed' });
    live.use(chatId, chat.last_seq);
    if (!known && partner) void partnerPresence(chatId, partner.id);
    void refreshChats();
  } catch (e) {
    patch(chatId, { loading: false, error: errorText(e) });
  }
}

/** Back to the start page: the socket then only waits for the user's own events. */
export function leaveChat(): void {
  clearTimeout(typingTimer);
  openChat.set(null);
  live.use(null);
  // What was read there, and the last message, show in the list now.
  void refreshChats();
}

async function loadHistory(chatId: string) {
  const chat = await client.chats.get(chatId);
  const messages = await client.chats.messages(chatId, { limit: HISTORY_PAGE });
  return { chat, messages };
}

async function partnerPresence(chatId: string, userId: string): Promise<void> {
  const profile = await client.users.profile(userId).catch(() => null);
  if (profile?.is_online !== undefined) patch(chatId, (s) => ({ partner: s.partner && { ...s.partner, online: profile.is_online === true } }));
}

/** The chat is saved: it stays open after the match ends. */
export function markedSaved(chatId: string): void {
  patch(chatId, (s) => ({ chat: s.chat && { ...s.chat, type: 'saved' }, closed: false, notice: 'Saved: this chat stays in your chats.' }));
}

/**
 * A message into the list by the time it was stored: a send answered after events that came later
 * (a reconnect's replay, say) still takes its place among them, as in the history.
 */
function upsert(list: MessageObject[], m: MessageObject): MessageObject[] {
  if (list.some((x) => x.id === m.id)) return list.map((x) => (x.id === m.id ? m : x));
  const at = list.findIndex((x) => x.created_at > m.created_at);
  return at === -1 ? [...list, m] : [...list.slice(0, at), m, ...list.slice(at)];
}
const merge = (list: MessageObject[], id: string, fields: Partial<MessageObject>) => list.map((m) => (m.id === id ? { ...m, ...fields } : m));

/** Applies a frame of the open chat's socket. */
function onFrame(frame: ServerFrame): void {
  const state = openChat.value;
  if (!state || !('chat_id' in frame) || frame.chat_id !== state.chatId) return;
  const id = state.chatId;
  switch (frame.type) {
    case 'new_message':
      return patch(id, (s) => ({ messages: upsert(s.messages, frame.payload), typing: frame.payload.user_id === s.partner?.id ? null : s.typing }));
    case 'message_edited': {
      const { id: messageId, ...fields } = frame.payload;
      return patch(id, (s) => ({ messages: merge(s.messages, messageId, fields) }));
    }
    case 'message_deleted':
      return patch(id, (s) => ({ messages: s.messages.filter((m) => m.id !== frame.payload.message_id) }));
    case 'message_status_update':
    case 'message_liked':
    case 'message_unliked': {
      const { message_id, ...fields } = frame.payload;
      return patch(id, (s) => ({ messages: merge(s.messages, message_id, fields) }));
    }
    case 'chatroulette_left':
      patch(id, { typing: null, notice: frame.payload.user_id === me()?.id ? null : `${frame.payload.username} left the chat.` });
      return void matchOver(id);
    case 'typing':
      return onTyping(id, frame.payload.username, frame.payload.is_typing);
    case 'user_status':
      return patch(id, (s) => (s.partner?.id === frame.payload.user_id ? { partner: { ...s.partner, online: frame.payload.is_online }, typing: frame.payload.is_online ? s.typing : null } : {}));
  }
}

/** A match ended: the chat is read only now unless one of the two saved it (the server knows which). */
export async function matchOver(chatId: string): Promise<void> {
  const chat = await client.chats.get(chatId).catch(() => null);
  patch(chatId, (s) => ({ chat: chat ?? s.chat, closed: chat ? chat.status === 'closed' : s.chat?.type !== 'saved' }));
  void refreshChats();
}

function onTyping(chatId: string, username: string, isTyping: boolean): void {
  clearTimeout(typingTimer);
  patch(chatId, { typing: isTyping ? username : null });
  if (isTyping) typingTimer = setTimeout(() => patch(chatId, { typing: null }), TYPING_SHOWN_MS);
}

live.listen({
  frame: onFrame,
  reset: (chatId) => {
    // Events were missed for good: the history is the truth again.
    if (openChat.value?.chatId !== chatId) return;
    void loadHistory(chatId).then(({ chat, messages }) => patch(chatId, { chat, messages, closed: chat.status === 'closed' }), () => undefined);
  },
});

/** Marks others' messages read once they are on screen (each asked once; the socket or REST carries it). */
export function shown(messageIds: string[]): void {
  const socket = live.current;
  const state = openChat.value;
  if (!socket || !state || document.visibilityState !== 'visible') return;
  for (const messageId of messageIds) {
    const m = state.messages.find((x) => x.id === messageId);
    if (!m || m.user_id === me()?.id || m.status === 'read' || marked.has(messageId)) continue;
    marked.add(messageId);
    socket.markRead(messageId).catch(() => marked.delete(messageId));
  }
}

/** Runs an action of the open chat; its failure becomes the chat's error line. */
export async function act(run: () => Promise<unknown>): Promise<boolean> {
  const id = openChat.value?.chatId;
  try {
    await run();
    if (id) patch(id, { error: null });
    return true;
  } catch (e) {
    if (id) patch(id, { error: errorText(e) });
    return false;
  }
}

export function sendText(content: string): Promise<boolean> {
  const socket = live.current;
  if (!socket || content.trim() === '') return Promise.resolve(false);
  stoppedTyping();
  return act(async () => added(await socket.send({ type: 'text', content })));
}

/** Uploads a file, then sends it as a media message of the type the server read from its bytes. */
export function sendFile(file: File): Promise<boolean> {
  const socket = live.current;
  if (!socket) return Promise.resolve(false);
  return act(async () => {
    const upload = await client.media.upload(file, file.name);
    added(await socket.send({ type: upload.media_type, content: '', media_url: upload.file_url }));
  });
}

/** A sent message is shown at once (its new_message event then changes nothing). */
function added(m: MessageObject): void {
  patch(m.chat_id, (s) => ({ messages: upsert(s.messages, m) }));
}

export const editMessage = (messageId: string, content: string) => act(() => client.messages.edit(messageId, { content }));
export const deleteMessage = (messageId: string) => act(() => client.messages.delete(messageId));

export function toggleLike(m: MessageObject): Promise<boolean> {
  const mine = me();
  return act(() => (mine && m.liked_by.includes(mine.id) ? client.messages.unlike(m.id) : client.messages.like(m.id)));
}
