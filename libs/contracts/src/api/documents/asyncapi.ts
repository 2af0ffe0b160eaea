import type { z } from 'zod';
import { gatewayPaths } from '../../rest-routes.js';
import { closeCodes } from '../../socket.js';
import { natsCatalogue, type NatsChannel } from '../nats.js';
import { clientFrameCatalogue, serverFrameCatalogue, socketQuery, type SocketFrame } from '../socket.js';
import { apiVersion } from './version.js';
import { createSchemaComponents, type JsonSchema } from './json-schema.js';
import { errorReply, replyHeaders } from '../../requests.js';

const ref = ($ref: string) => ({ $ref });

const closeCodeText = Object.entries(closeCodes)
  .map(([name, code]) => `\`${code}\` ${name}`)
  .join(', ');

/**
 * The AsyncAPI 3.0 document: the socket (every frame of the catalogue of api/socket.ts, both ways)
 * and the NATS subjects between the services (api/nats.ts), from the same zod schemas the gateway
 * and the services parse and type them with; built once by whoever serves it.
 */
export function buildAsyncApiDocument(): JsonSchema {
  const schemas = createSchemaComponents('draft-7', '#/components/schemas/');
  const messages: Record<string, JsonSchema> = {};
  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};

  /** A message component; its payload as the sender writes it (output) or as the receiver parses it (input). */
  const message = (key: string, m: { name: string; summary: string; payload: z.ZodType; io: 'input' | 'output'; headers?: Record<string, string> }) => {
    messages[key] = {
      name: m.name,
      summary: m.summary,
      payload: schemas.schemaOf(m.payload, m.io),
      ...(m.headers ? { headers: headersSchema(m.headers) } : {}),
    };
    return ref(`#/components/messages/${key}`);
  };

  // The socket: one channel, the server's frames sent and the client's received.
  const socketMessages: Record<string, unknown> = {};
  const frame = (direction: 'server' | 'client', f: SocketFrame) => {
    const key = `${direction}.${f.type}`;
    socketMessages[key] = message(key, { name: f.type, summary: f.summary, payload: f.schema, io: direction === 'server' ? 'output' : 'input' });
    operations[`socket.${direction === 'server' ? 'send' : 'receive'}.${f.type}`] = {
      action: direction === 'server' ? 'send' : 'receive',
      channel: ref('#/channels/socket'),
      summary: f.summary,
      messages: [ref(`#/channels/socket/messages/${key}`)],
    };
  };
  for (const f of serverFrameCatalogue) frame('server', f);
  for (const f of clientFrameCatalogue) frame('client', f);
  channels.socket = {
    address: gatewayPaths.socket,
    title: 'The WebSocket',
    description: [
      'Every frame is one JSON text message. Server frames: `{"type", "chat_id", "payload"}`; chat events also carry `seq` (1, 2, ... per chat).',
      'A client frame that is malformed or unknown gets an `error` frame; the socket stays open. A frame over 16 KiB closes it with 1009.',
      `Close codes: ${closeCodeText}. 4000-4499: reconnect (with \`since\`); 4500-4999: do not.`,
    ].join('\n\n'),
    servers: [ref('#/servers/gateway')],
    messages: socketMessages,
    bindings: { ws: { method: 'GET', query: schemas.schemaOf(socketQuery, 'input'), bindingVersion: '0.1.0' } },
  };

  for (const c of natsCatalogue) natsChannel(c, { channels, operations, message });

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Chatroulette backend: socket and NATS',
      version: apiVersion,
      description: [
        `The WebSocket clients open at \`${gatewayPaths.socket}\` (channel \`socket\`), and the NATS subjects the services speak on between them (the \`nats\` server).`,
        'Every NATS subject is prefixed with `<NATS_NAMESPACE>.` when one is set. Request subjects are answered on the requester\'s inbox; an error reply has the `Status` header and `{"error", "code"}`.',
        `REST: the OpenAPI document, [${gatewayPaths.openapi}](${gatewayPaths.openapi}).`,
      ].join('\n\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      gateway: {
        host: 'localhost:8080',
        protocol: 'ws',
        pathname: gatewayPaths.socket,
        description: 'The gateway (PORT, default 8080); wss behind TLS',
        security: [ref('#/components/securitySchemes/token')],
      },
      nats: { host: '127.0.0.1:4222', protocol: 'nats', description: 'NATS with JetStream (NATS_URL), one user per service (deploy/nats)' },
    },
    channels,
    operations,
    components: {
      schemas: schemas.components,
      messages,
      securitySchemes: {
        token: { type: 'httpApiKey', name: 'token', in: 'query', description: 'The JWT; or the subprotocol `bearer.<jwt>`; or an auth frame first (`?auth=frame`)' },
      },
    },
  };
}

type MessageOf = (key: string, m: { name: string; summary: string; payload: z.ZodType; io: 'input' | 'output'; headers?: Record<string, string> }) => { $ref: string };

/** One subject: its channel, its message(s), one operation per publisher side; a request's reply on the requester's inbox. */
function natsChannel(c: NatsChannel, out: { channels: Record<string, JsonSchema>; operations: Record<string, JsonSchema>; message: MessageOf }) {
  const key = `nats.${c.name}`;
  const who = `Published by ${c.publishers.join(', ')}; received by ${c.subscribers.join(', ')}.${c.stream ? ` Kept in the JetStream stream ${c.stream}.` : ''}`;
  const parameters = c.parameters
    ? Object.fromEntries(Object.entries(c.parameters).map(([name, p]) => [name, { description: p.description, ...(p.enum ? { enum: [...p.enum] } : {}) }]))
    : undefined;
  out.channels[key] = {
    address: c.subject,
    title: c.name,
    description: `${c.summary}. ${who}`,
    servers: [ref('#/servers/nats')],
    ...(parameters ? { parameters } : {}),
    messages: { [c.reply ? 'request' : 'event']: out.message(`${key}.${c.reply ? 'request' : 'event'}`, { name: c.name, summary: c.summary, payload: c.payload, io: 'output', headers: c.headers }) },
  };
  const operation: JsonSchema = {
    action: 'send',
    channel: ref(`#/channels/${key}`),
    summary: c.summary,
    description: who,
    messages: [ref(`#/channels/${key}/messages/${c.reply ? 'request' : 'event'}`)],
  };
  if (c.reply) {
    const replyKey = `${key}.reply`;
    out.channels[replyKey] = {
      address: null,
      title: `${c.name} reply`,
      description: 'The requester\'s inbox (`_INBOX_<service>.…`)',
      servers: [ref('#/servers/nats')],
      messages: {
        reply: out.message(`${replyKey}.ok`, { name: `${c.name} reply`, summary: 'The answer', payload: c.reply, io: 'output' }),
        error: out.message(`${replyKey}.error`, {
          name: `${c.name} error`,
          summary: 'A refusal or a failure, as an HTTP-like status',
          payload: errorReply,
          io: 'output',
          headers: { [replyHeaders.status]: 'The HTTP-like status: 400, 403, 404, 409, 500, 503' },
        }),
      },
    };
    operation.reply = { channel: ref(`#/channels/${replyKey}`), messages: [ref(`#/channels/${replyKey}/messages/reply`), ref(`#/channels/${replyKey}/messages/error`)] };
  }
  out.operations[key] = operation;
}

function headersSchema(headers: Record<string, string>): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { type: 'string', description }])),
  };
}
