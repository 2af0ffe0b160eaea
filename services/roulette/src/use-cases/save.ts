import { matchByChat } from '../db/queries/matches.js';
import { saveRouletteChat } from '../clients/messages-chats.js';
import { assertParticipant } from '../domain/match.js';
import type { RouletteContext } from '../context.js';

/** Keeps the roulette chat after the roulette ends (the messages service answers 409 the second time). */
export async function save(ctx: RouletteContext, userId: string, chatId: string) {
  assertParticipant(await matchByChat(ctx.db, chatId), userId);
  return saveRouletteChat(ctx.nc, ctx.subjects, { chat_id: chatId, user_id: userId });
}
