import type { Request } from 'express';
import { uuid } from '@chatroulette/contracts';
import { parseInput } from '@chatroulette/http';

/** A UUID path parameter; anything else is a 400 naming it. */
export function idParam(req: Request, name: string): string {
  return parseInput(uuid, req.params[name], name).toLowerCase();
}
