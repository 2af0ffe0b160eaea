import { z } from 'zod';
import { uuid } from './ids.js';

/**
 * Blocks are owned by auth. Every change of one (blocker, blocked) pair raises the pair's `version`,
 * so a copy (messages, roulette, the gateways) keeps the highest version it saw and can apply events
 * more than once and out of order.
 */
export const blockState = z.object({
  blocker_id: uuid,
  blocked_id: uuid,
  blocked: z.boolean(),
  version: z.number().int().positive(),
});
export type BlockState = z.infer<typeof blockState>;

/**
 * `block.<blocker_id>.<blocked_id>` (JetStream BLOCK_EVENTS, the last one per pair kept): the pair's
 * state after a block or an unblock. `blocker_username` names the blocker in the chatroulette_left of
 * a roulette chat the block ends.
 */
export const blockEvent = blockState.extend({
  blocker_username: z.string(),
  at: z.string(),
});
export type BlockEvent = z.infer<typeof blockEvent>;

/** Every pair a user is in, either way, blocked or not any more (with its version). */
export const authBlocksList = {
  request: z.object({ user_id: uuid }),
  reply: z.object({ blocks: z.array(blockState) }),
};

/** A block made for a user by another service (a roulette report); idempotent. */
export const authBlocksCreate = {
  request: z.object({ blocker_id: uuid, blocked_id: uuid }),
  reply: blockState,
};

/** The durable JetStream consumers of BLOCK_EVENTS, one per service that keeps a copy (instances share it). */
export const blockConsumers = {
  messages: 'messages_blocks',
  roulette: 'roulette_blocks',
} as const;
