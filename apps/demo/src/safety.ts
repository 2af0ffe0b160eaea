import type { BlockedUser, ReportReason } from '@chatroulette/client';
import { act, leaveChat, openChat } from './chat.js';
import { client } from './client.js';
import { matchEnded, roulette } from './roulette.js';
import { Store } from './store.js';

/** Whom the user blocks, the newest first. */
export const blocked = new Store<BlockedUser[]>([]);

export async function refreshBlocks(): Promise<void> {
  const answer = await client.users.blocks().catch(() => null);
  if (answer) blocked.set(answer.blocks);
}

/** The open chat's chat leaves the screen: a live match of it is over (the server ended it as a skip). */
function done(chatId: string): void {
  if (roulette.value.chatId === chatId) matchEnded();
  if (openChat.value?.chatId === chatId) leaveChat();
  void refreshBlocks();
}

/** Blocks the open chat's partner: never matched again, nothing more between the two. */
export async function blockPartner(): Promise<void> {
  const chat = openChat.value;
  const partner = chat?.partner;
  if (!chat || !partner) return;
  if (await act(() => client.users.block(partner.id))) done(chat.chatId);
}

/** Reports the open chat's partner: the match ends and they are blocked too. */
export async function reportPartner(reason: ReportReason): Promise<void> {
  const chat = openChat.value;
  if (!chat) return;
  if (await act(() => client.roulette.report(chat.chatId, { reason }))) done(chat.chatId);
}

export async function unblock(userId: string): Promise<void> {
  await client.users.unblock(userId).catch(() => undefined);
  await refreshBlocks();
}
