import type { Request } from 'express';
import { badRequest } from '@chatroulette/errors';
import { currentUser } from '@chatroulette/http';

/**
 * Which shape a list route answers: the original's for a token from its login routes, ours for any
 * other. A query meant for the other shape is refused, so a client that mixed the two learns why
 * instead of reading a shape it did not expect.
 */
export function listShape(req: Request, ours: readonly string[], legacy: readonly string[]): 'legacy' | 'ours' {
  const shape = currentUser(req).legacy ? 'legacy' : 'ours';
  const foreign = (shape === 'legacy' ? ours : legacy).filter((k) => req.query[k] !== undefined);
  if (foreign.length > 0) {
    throw badRequest(
      shape === 'legacy'
        ? `Invalid query: ${foreign[0]} is not taken with a token from /api/v1/login or /api/v1/register; use page and limit`
        : `Invalid query: ${foreign[0]} (the original product's pages and {"chats"}/{"messages"} answers) needs a token from /api/v1/login or /api/v1/register`,
    );
  }
  return shape;
}
