import { z } from 'zod';

/** Every error answer: `{error, code, request_id}` with the HTTP status. */
export const errorBody = z
  .object({
    error: z.string().meta({ description: 'Human readable text' }),
    code: z.string().meta({ description: 'Machine readable: bad_request, unauthorized, forbidden, not_found, conflict, payload_too_large, unsupported_media_type, range_not_satisfiable, too_many_requests, internal, bad_gateway, unavailable, timeout' }),
    request_id: z.string().optional().meta({ description: 'The request\'s id (also the `x-request-id` header), naming its log lines' }),
    suspended_until: z.string().optional().meta({ format: 'date-time', description: '403 `suspended`: when the suspension from the roulette ends' }),
  })
  .meta({ id: 'Error', examples: [{ error: 'Chat not found', code: 'not_found', request_id: '5b0c6a8e-7f3d-4a1b-9c2e-8d7f6e5a4b3c' }] });

/** The original product's answers of the roulette and of a delete: a sentence. */
export const messageAnswer = z.object({ message: z.string() });

const checkState = z.enum(['ok', 'fail']);

/** GET /healthz. */
export const health = z.object({ status: z.literal('ok') });

/** GET /readyz of the gateway: NATS, and at least one instance of each service. */
export const readiness = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ nats: checkState, auth: checkState, messages: checkState, roulette: checkState, media: checkState }),
  error: z.string().optional(),
  code: z.string().optional(),
});
