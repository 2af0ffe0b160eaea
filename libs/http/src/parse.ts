import type { z } from 'zod';
import { badRequest } from '@chatroulette/errors';

/** Parses input at the edge: the first problem becomes a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : what;
  throw badRequest(`Invalid ${field}: ${issue.message}`);
}
