import type { PublicUser, RouletteState, ServerFrame } from '@chatroulette/client';
import { client, errorText } from './client.js';
import { leaveChat, markedSaved, matchOver, openChat, showChat } from './chat.js';
import { refreshChats } from './chats.js';
import { live } from './live.js';
import { Store } from './store.js';

export interface RouletteView {
  status: RouletteState['status'];
  /** The live match's chat and partner. */
  chatId: string | null;
  partner: PublicUser | null;
  busy: boolean;
  error: string | null;
}

export const roulette = new Store<RouletteView>({ status: 'idle', chatId: null, partner: null, busy: false, error: null });

const set = (fields: Partial<RouletteView>) => roulette.update((r) => ({ ...r, ...fields }));
const idle = { status: 'idle', chatId: null, partner: null } as const;

function apply(state: RouletteState): void {
  if (state.status === 'matched') return matched(state.chat_id, state.user);
  set({ ...idle, status: state.status });
}

function matched(chatId: string, user: PublicUser): void {
  set({ status: 'matched', chatId, partner: user });
  void showChat(chatId, { partner: { id: user.id, username: user.username, online: user.is_online } });
}

/** Runs a roulette call; a failure becomes the panel's error line. */
async function call<T>(run: () => Promise<T>): Promise<T | undefined> {
  set({ busy: true, error: null });
  try {
    return await run();
  } catch (e) {
    set({ error: errorText(e) });
    return undefined;
  } finally {
    set({ busy: false });
  }
}

/** Where the user stands now (after a sign-in, a reload, or a reconnect that may have missed a match). */
export async function refreshRoulette(): Promise<void> {
  const state = await client.roulette.status().catch(() => null);
  if (!state) return;
  if (state.status === 'matched') return matched(state.chat_id, state.user);
  // The match ended while the socket was away.
  const ended = roulette.value.status === 'matched' ? roulette.value.chatId : null;
  set({ ...idle, status: state.status });
  if (ended && openChat.value?.chatId === ended) void matchOver(ended);
}

/** Interests as typed: comma- or space-separated words. */
export function parseInterests(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((w) => w.trim().toLowerCase()).filter(Boolean))].slice(0, 10);
}

export async function startSearch(interestsText: string): Promise<void> {
  // A socket must be there before the search: the match comes on it (and a searcher without one leaves the queue).
  if (!live.current) live.use(null);
  const interests = parseInterests(interestsText);
  const state = await call(() => client.roulette.search(interests.length > 0 ? { interests } : {}));
  if (state) apply(state);
}

export async function cancelSearch(): Promise<void> {
  const state = await call(() => client.roulette.cancel());
  if (state) apply(state);
}

/** Ends the match (the partner gets chatroulette_left) and goes back to the start page. */
export async function skip(): Promise<void> {
  const chatId = roulette.value.chatId;
  if (!chatId) return;
  const state = await call(() => client.roulette.skip(chatId));
  if (!state) return;
  apply(state);
  if (openChat.value?.chatId === chatId) leaveChat();
}

export async function save(): Promise<void> {
  const chatId = roulette.value.chatId ?? openChat.value?.chatId;
  if (!chatId) return;
  if (!(await call(() => client.roulette.save(chatId)))) return;
  markedSaved(chatId);
  void refreshChats();
}

/** A match ended by the server's side of things (a block or a report by this user): back to the start. */
export function matchEnded(): void {
  const chatId = roulette.value.chatId;
  set({ ...idle });
  if (chatId && openChat.value?.chatId === chatId) leaveChat();
}

function onFrame(frame: ServerFrame): void {
  if (frame.type === 'chatroulette_match') return matched(frame.payload.chat_id, frame.payload.user);
  if (frame.type === 'chatroulette_left' && frame.chat_id === roulette.value.chatId) set({ ...idle });
}

live.listen({ frame: onFrame, reopened: () => void refreshRoulette() });
