import type { z } from 'zod';

/** The sections of the OpenAPI document, in its order. */
export const restTags = {
  auth: 'Register, log in, the own profile',
  sessions: 'Tokens: refresh, logout, password change',
  users: 'Other users',
  chats: 'Chats and their history',
  messages: 'Sending, editing, deleting, reading and liking messages',
  roulette: 'The chatroulette: search, match, skip, save',
  media: 'Uploaded files',
  safety: 'Blocking, reporting and moderation',
  rtc: 'Video calls: the STUN and TURN servers a WebRTC call may use (the signalling is on the socket)',
  legacy: "The original product's routes, served beside ours for its clients (docs/compatibility.md)",
  operations: 'Probes, the socket upgrade and these documents, answered by the gateway itself',
} as const;
export type RestTag = keyof typeof restTags;

export type HttpMethod = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';

export interface RestAnswer {
  description: string;
  /** The JSON body; none for an answer without a body (204). */
  schema?: z.ZodType;
  /** Another media type than JSON (the bytes of a download, the /docs page). */
  contentType?: string;
  /** Response headers worth a client's attention, name to description. */
  headers?: Record<string, string>;
}

export interface RestBody {
  schema: z.ZodType;
  /** false: the body may be left out. */
  required?: boolean;
  /** Default application/json. */
  contentType?: string;
  description?: string;
  /** A body the schema accepts (a test parses it with the schema). */
  example?: unknown;
}

/**
 * One REST route: what the OpenAPI document says of it, from the zod schemas the service parses
 * its input with and types its answer by. Errors all have the one error body (`Error`).
 */
export interface RestRoute {
  method: HttpMethod;
  /** The path as OpenAPI writes it, each parameter as `{name}`. */
  path: string;
  tag: RestTag;
  summary: string;
  description?: string;
  /** 'bearer': `Authorization: Bearer <jwt>` (401 without a valid one); 'none': no token. */
  auth: 'bearer' | 'none';
  /**
   * 'gateway': answered by the gateway itself. Otherwise by the service that owns the prefix
   * (restRoutes), and the gateway's own errors (429, 502, 503, 504; 408 and 413 for a body) apply too.
   */
  servedBy?: 'gateway';
  /** Path parameters that are not UUIDs (every other `{name}` is one: a malformed one is a 400). */
  params?: Record<string, z.ZodType>;
  /** Query parameters: each key of the object, as a string. */
  query?: z.ZodObject;
  body?: RestBody;
  /** The answers that are not errors, by status. */
  answers: Partial<Record<number, RestAnswer>>;
  /** The error statuses the route answers itself (400 for bad input, 403, 404, 409 ...), beyond those above. */
  errors?: number[];
}

/** Types one catalogue entry. */
export const route = (r: RestRoute): RestRoute => r;

export const json = (description: string, schema: z.ZodType, headers?: Record<string, string>): RestAnswer =>
  headers ? { description, schema, headers } : { description, schema };
