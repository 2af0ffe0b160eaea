import { z } from 'zod';
import { uuid } from '../../ids.js';
import { gatewayPaths } from '../../rest-routes.js';
import { restCatalogue, restTags, type RestRoute } from '../rest/index.js';
import { errorBody } from '../schemas/common.js';
import { apiVersion } from './version.js';
import { createSchemaComponents, type JsonSchema } from './json-schema.js';

/** Headers of the error answers that tell when to come back. */
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } };
/** The error answers, by status: the component's name and what it means. */
const errorAnswers: Record<number, [name: string, description: string]> = {
  400: ['BadRequest', 'Bad input: the text names the field'],
  401: ['Unauthorized', 'No token, or a bad, expired or revoked one'],
  403: ['Forbidden', 'Not allowed (also: a browser Origin not in ALLOWED_ORIGINS, refused by the gateway)'],
  404: ['NotFound', 'Not found'],
  408: ['RequestTimeout', 'The body did not arrive in time (the gateway)'],
  409: ['Conflict', 'Conflict with the current state'],
  413: ['PayloadTooLarge', 'Too large'],
  415: ['UnsupportedMediaType', 'Unsupported media type'],
  416: ['RangeNotSatisfiable', 'Range not satisfiable'],
  426: ['UpgradeRequired', 'This path takes a WebSocket upgrade'],
  429: ['TooManyRequests', 'Too many requests: see Retry-After'],
  502: ['BadGateway', 'The service behind the gateway failed'],
  503: ['ServiceUnavailable', 'A service is unavailable: see Retry-After'],
  504: ['GatewayTimeout', 'The service behind the gateway did not answer in time'],
};

/** The errors every route answers beside its own: a token's, the gateway's origin check, budgets and upstreams, a body's. */
function errorStatuses(r: RestRoute): number[] {
  const statuses = new Set([...(r.errors ?? []), 403]);
  if (r.auth === 'bearer') statuses.add(401);
  if (r.servedBy !== 'gateway') {
    for (const s of [429, 502, 503, 504]) statuses.add(s);
    if (r.body || r.params || r.query || /\{/.test(r.path)) statuses.add(400);
    if (r.method === 'post' || r.method === 'put' || r.method === 'patch') for (const s of [408, 413]) statuses.add(s);
  }
  return [...statuses].sort((a, b) => a - b);
}

/**
 * The OpenAPI 3.1 document of every REST route, from the catalogue (rest/index.ts) and the zod
 * schemas the services parse with; built once by whoever serves it.
 */
export function buildOpenApiDocument(): JsonSchema {
  const schemas = createSchemaComponents('draft-2020-12', '#/components/schemas/');
  const errorRef = schemas.schemaOf(errorBody, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of restCatalogue) {
    const op: JsonSchema = {
      operationId: operationId(r),
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      security: r.auth === 'bearer' ? [{ bearer: [] }] : [],
    };
    const parameters = [...pathParameters(r, schemas.schemaOf), ...queryParameters(r, schemas.schemaOf)];
    if (parameters.length > 0) op.parameters = parameters;
    if (r.body) {
      op.requestBody = {
        required: r.body.required ?? true,
        ...(r.body.description ? { description: r.body.description } : {}),
        content: { [r.body.contentType ?? 'application/json']: { schema: schemas.schemaOf(r.body.schema, 'input'), ...(r.body.example === undefined ? {} : { example: r.body.example }) } },
      };
    }
    const responses: Record<string, unknown> = {};
    for (const [status, a] of Object.entries(r.answers)) {
      responses[status] = {
        description: a!.description,
        ...(a!.headers ? { headers: Object.fromEntries(Object.entries(a!.headers).map(([k, d]) => [k, { description: d, schema: { type: 'string' } }])) } : {}),
        ...(a!.schema || a!.contentType ? { content: { [a!.contentType ?? 'application/json']: a!.schema ? { schema: schemas.schemaOf(a!.schema, 'output') } : {} } } : {}),
      };
    }
    for (const status of errorStatuses(r)) responses[String(status)] ??= { $ref: `#/components/responses/${errorName(status)}` };
    op.responses = responses;
    (paths[r.path] ??= {})[r.method] = op;
  }
  const responses = Object.fromEntries(
    Object.entries(errorAnswers).map(([status, [name, description]]) => [
      name,
      { description, ...(status === '429' || status === '503' ? { headers: retryAfter } : {}), content: { 'application/json': { schema: errorRef } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chatroulette backend: REST',
      version: apiVersion,
      description: [
        'Every REST route the backend serves, through its gateway. JSON in and out, ids are UUIDs, times RFC 3339 UTC.',
        'Errors: the HTTP status and `{"error", "code", "request_id"}`. Every route but register and login takes `Authorization: Bearer <jwt>`.',
        `The WebSocket (\`${gatewayPaths.socket}\`) and the NATS subjects between the services: the AsyncAPI document, [${gatewayPaths.asyncapi}](${gatewayPaths.asyncapi}).`,
        'Objects list every field the backend sends today; a client must still ignore fields it does not know.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'This gateway' }],
    tags: Object.entries(restTags).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: schemas.components,
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token of register, login or refresh' } },
    },
  };
}

function errorName(status: number): string {
  const answer = errorAnswers[status];
  if (!answer) throw new Error(`no error answer for status ${status}: add it to errorAnswers`);
  return answer[0];
}

/** `post /api/v1/chats/{chat_id}/messages` -> `postChatsChatIdMessages`. */
function operationId(r: RestRoute): string {
  const words = r.path
    .replace(/^\/api\/v1/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return r.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

type SchemaOf = (schema: z.ZodType, io: 'input' | 'output') => JsonSchema;

function pathParameters(r: RestRoute, schemaOf: SchemaOf) {
  return [...r.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: schemaOf(r.params?.[name!] ?? uuid, 'input') }));
}

function queryParameters(r: RestRoute, schemaOf: SchemaOf) {
  if (!r.query) return [];
  return Object.entries(r.query.shape as Record<string, z.ZodType>).map(([name, schema]) => {
    const json = schemaOf(schema, 'input');
    const { description, ...rest } = json as { description?: string };
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
}
