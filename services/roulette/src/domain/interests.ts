import { z } from 'zod';
import { limits } from '@chatroulette/contracts';

/** One interest: a string, trimmed and lower-cased, 1 to maxInterestLength characters. */
const interest = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(limits.maxInterestLength, `must be at most ${limits.maxInterestLength} characters`);

/** Interests of a search, normalised, without duplicates. */
export const interestList = z
  .array(interest)
  .max(limits.maxInterests, `must hold at most ${limits.maxInterests} interests`)
  .transform((list) => [...new Set(list)]);

/** Body of POST /chatroulette/search: optional, `{}` or no body is a search without interests. */
export const searchBody = z
  .object({ interests: interestList.optional() })
  .nullish()
  .transform((b) => ({ interests: b?.interests ?? [] }));

/** Body of POST /chatroulette/{chat_id}/skip: optional `{requeue, interests}`. */
export const skipBody = z
  .object({ requeue: z.boolean().optional(), interests: interestList.optional() })
  .nullish()
  .transform((b) => ({ requeue: b?.requeue ?? false, interests: b?.interests }));
