import type { Logger } from 'pino';
import { liveErrorCodes, liveFrames } from '@chatroulette/contracts';
import type { Budget } from '@chatroulette/budgets';
import { sendFrame, userOf, type Socket } from '../socket/socket-data.js';
import { mayReach, type ReachDeps } from './may-reach.js';

/** What every live frame handler needs. */
export interface SenderDeps extends ReachDeps {
  log: Logger;
}

/** The error frame of a refused live frame; the socket stays open. */
export function refuse(ws: Socket, code: string, message: string, chatId: string | null, retryAfterMs?: number): void {
  sendFrame(ws, liveFrames.error(code, message, chatId, retryAfterMs));
}

/**
 * The checks every live frame passes before it goes out: one point of the sender's budget, then
 * mayReach. False when the frame was refused (its error frame sent).
 */
export async function mayForward(deps: SenderDeps, ws: Socket, chatId: string, budget: Budget): Promise<boolean> {
  const userId = userOf(ws.getUserData());
  const spent = await budget.consume(userId);
  if (!spent.ok) {
    refuse(ws, liveErrorCodes.tooManyRequests, 'Too many frames of this kind; retry later', chatId, spent.retryAfterMs);
    return false;
  }
  const reach = await mayReach(deps, userId, chatId);
  if (!reach.ok) refuse(ws, reach.code, reach.message, chatId);
  return reach.ok;
}
