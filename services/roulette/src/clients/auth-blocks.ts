import { authBlocksCreate, type BlockState, type Subjects } from '@chatroulette/contracts';
import { request, type NatsConnection } from '@chatroulette/nats';

/** Blocks `blockedId` for `blockerId` through auth, the owner of blocks (a report blocks); the pair's state after. */
export async function blockThroughAuth(nc: NatsConnection, subjects: Subjects, blockerId: string, blockedId: string): Promise<BlockState> {
  return request(nc, subjects.authBlocksCreate, authBlocksCreate, { blocker_id: blockerId, blocked_id: blockedId });
}
