import type { Chat } from '@chatroulette/client';
import { client } from './client.js';
import { Store } from './store.js';

/** The user's kept chats (saved roulette chats and private ones), most recently active first (the server's order). */
export const chats = new Store<Chat[]>([]);

export async function refreshChats(): Promise<void> {
  const list = await client.chats.list().catch(() => null);
  if (list) chats.set(list.filter((c) => c.type !== 'roulette'));
}
