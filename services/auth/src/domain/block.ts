import { badRequest } from '@chatroulette/errors';

/** Nobody blocks themselves (ids compared as UUIDs: without regard to case). */
export function assertNotSelf(blockerId: string, blockedId: string): void {
  if (blockerId.toLowerCase() === blockedId.toLowerCase()) throw badRequest('Invalid user_id: you cannot block yourself');
}

/** The answer of POST and DELETE /users/{user_id}/block. */
export function blockAnswer(userId: string, blocked: boolean) {
  return { user_id: userId, blocked };
}
