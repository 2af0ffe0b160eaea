import type { NatsConnection } from 'nats';
import { authBlocksList, type BlockState, type Subjects } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';

/** Every pair a user is in, either way, with its state and version (auth.blocks.list, from auth, the owner of blocks). */
export async function fetchBlocks(nc: NatsConnection, subjects: Subjects, userId: string): Promise<BlockState[]> {
  return (await request(nc, subjects.authBlocksList, authBlocksList, { user_id: userId })).blocks;
}
