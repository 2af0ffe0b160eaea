import { z } from 'zod';
import { gatewayPaths } from '../../rest-routes.js';
import { health, readiness } from '../schemas/common.js';
import { json, route, type RestRoute } from './route.js';

const document = z.record(z.string(), z.unknown());
const cached = { ETag: 'Of the body; If-None-Match gets a 304', 'Cache-Control': 'public, max-age=300' };

/** The gateway's own answers: probes, the socket's plain GET, these documents. */
export const gatewayRoutes: RestRoute[] = [
  route({
    method: 'get',
    path: gatewayPaths.health,
    tag: 'operations',
    summary: 'Liveness',
    auth: 'none',
    servedBy: 'gateway',
    answers: { 200: json('The process runs', health) },
  }),
  route({
    method: 'get',
    path: gatewayPaths.ready,
    tag: 'operations',
    summary: 'Readiness',
    description: 'NATS, and the /readyz of at least one instance of each service (cached for a second).',
    auth: 'none',
    servedBy: 'gateway',
    answers: { 200: json('Ready', readiness), 503: json('Not ready: the failing checks named', readiness) },
  }),
  route({
    method: 'get',
    path: gatewayPaths.socket,
    tag: 'operations',
    summary: 'The WebSocket (see the AsyncAPI document)',
    description: 'Opened with an upgrade: `?token=<jwt>&chat_id=<chat_id>&since=<seq>`. A missing or bad token is refused with 401, a chat of others with 403. A plain GET is a 426.',
    auth: 'none',
    servedBy: 'gateway',
    answers: {},
    errors: [426],
  }),
  route({
    method: 'get',
    path: gatewayPaths.openapi,
    tag: 'operations',
    summary: 'This document (OpenAPI 3.1)',
    auth: 'none',
    servedBy: 'gateway',
    answers: { 200: json('The OpenAPI document', document, cached), 304: { description: 'Not modified', headers: cached } },
  }),
  route({
    method: 'get',
    path: gatewayPaths.asyncapi,
    tag: 'operations',
    summary: 'The socket and the NATS subjects (AsyncAPI 3.0)',
    auth: 'none',
    servedBy: 'gateway',
    answers: { 200: json('The AsyncAPI document', document, cached), 304: { description: 'Not modified', headers: cached } },
  }),
  route({
    method: 'get',
    path: gatewayPaths.docs,
    tag: 'operations',
    summary: 'This document as a page',
    auth: 'none',
    servedBy: 'gateway',
    answers: { 200: { description: 'The page (Swagger UI, served from the gateway)', contentType: 'text/html' } },
  }),
];
