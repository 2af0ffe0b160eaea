import { blockConsumers } from './blocks.js';
import { revocationBucket } from './revocations.js';
import { createSubjects } from './subjects.js';

/** The NATS users of a deployment (deploy/nats): one per service, each its own allow-lists. */
export const natsUsers = ['gateway', 'auth', 'messages', 'roulette', 'media'] as const;
export type NatsUser = (typeof natsUsers)[number];

/** The environment variable a deployment puts a user's password in (nats-server reads `$NAME`; `npm start` too). */
export const natsPasswordVariable = (user: NatsUser) => `NATS_${user.toUpperCase()}_PASSWORD`;

export interface NatsUserPermissions {
  /** Subjects this user may publish to (requests, events, JetStream API calls). */
  publish: string[];
  /** Subjects this user may subscribe to (requests it answers, events it consumes, its own reply inbox). */
  subscribe: string[];
  /** May answer the requests it receives (to their reply subjects, whatever those are). */
  allowResponses: boolean;
}

/**
 * Where the replies to a user's requests arrive: a prefix of its own instead of the shared `_INBOX`,
 * so that no other service may subscribe to them.
 */
export const natsInboxPrefix = (user: NatsUser) => `_INBOX_${user}`;

/**
 * The API a bucket's stream (object store or KV) is used through: the stream `verbs`, direct gets,
 * and ordered consumers, whose flow control the client answers on `$JS.FC.<stream>.…`.
 */
function bucketStream(stream: string, verbs: string[]): string[] {
  return [
    ...verbs.map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/** The JetStream API subjects the services call (nats.js: `$JS.API.<verb>`, no domain). */
const jsApi = {
  /** jetstreamManager() and getAccountInfo(): every connection checks that JetStream answers. */
  info: '$JS.API.INFO',
  /**
   * Reading a stream back with ordered consumers (nats.js consumers.get, fetch): the stream's info
   * and ephemeral pull consumers on it, nothing else (the gateway's catch-up of USER_EVENTS).
   */
  readStream: (stream: string) => [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
  ],
  /** ensureStream: create, or read and update, a stream the service owns. */
  ownStream: (stream: string) => ['CREATE', 'UPDATE', 'INFO'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
  /** Everything nats.js's object store does on its bucket's stream: create, read, purge, list and read with ordered consumers. */
  objectStore: (bucket: string) => [
    // js.views.os() looks its stream up by name first (the names only, no stream's content).
    '$JS.API.STREAM.NAMES',
    ...bucketStream(`OBJ_${bucket}`, ['CREATE', 'UPDATE', 'INFO', 'PURGE', 'DELETE', 'MSG.GET', 'MSG.DELETE']),
  ],
  /**
   * A KV bucket (stream KV_<bucket>): create or look it up, read keys, watch it with ordered
   * consumers; with `write`, put and update keys too (`$KV.<bucket>.<key>`).
   */
  kv: (bucket: string, access: 'read' | 'write') => [
    ...bucketStream(`KV_${bucket}`, ['CREATE', 'UPDATE', 'INFO', 'MSG.GET']),
    ...(access === 'write' ? [`$KV.${bucket}.>`] : []),
  ],
  /** A durable pull consumer of another service's stream: create or look it up, pull its messages, ack them. */
  durableConsumer: (stream: string, name: string) => [
    `$JS.API.CONSUMER.CREATE.${stream}.${name}`,
    `$JS.API.CONSUMER.CREATE.${stream}.${name}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${name}`,
    `$JS.API.CONSUMER.INFO.${stream}.${name}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${name}`,
    `$JS.ACK.${stream}.${name}.>`,
  ],
};

/**
 * Every subject each service publishes to and subscribes to, from the subject builders: the source
 * of deploy/nats/authorization.conf (`npm run nats:permissions`). Only messages publishes chat events,
 * only roulette the durable user events, only auth user presence and block events (which messages and
 * roulette read through their durable consumers); the gateway publishes presence, heartbeats, live
 * frames, delivery reports and its requests.
 */
export function natsPermissions(namespace = ''): Record<NatsUser, NatsUserPermissions> {
  const s = createSubjects(namespace);
  const inbox = (user: NatsUser) => `${natsInboxPrefix(user)}.>`;
  // Auth writes token revocations; every verifier watches them (libs/tokens revocation-list).
  const revocations = (access: 'read' | 'write') => jsApi.kv(revocationBucket(namespace), access);
  const blockCopy = (user: keyof typeof blockConsumers) => jsApi.durableConsumer(s.blockEventsStream, blockConsumers[user]);
  return {
    gateway: {
      publish: [s.allPresence, s.gatewayHeartbeat, s.allLiveFrames, s.messagesDeliveriesReport, s.messagesEventsList, s.messagesChatsMember, s.messagesSend, s.messagesRead, s.authKeysGet, s.authBlocksList, jsApi.info, ...jsApi.readStream(s.userEventsStream), ...revocations('read'), ...jsApi.kv(s.budgetsBucket, 'write')],
      // Live frames (typing, signalling) go from gateway to gateway only.
      subscribe: [s.allChatEvents, s.allUserEvents, s.allUserBlocks, s.allLiveFrames, inbox('gateway')],
      allowResponses: false,
    },
    auth: {
      publish: [s.allUserPresence, s.allUserBlocks, jsApi.info, ...jsApi.ownStream(s.blockEventsStream), ...revocations('write')],
      subscribe: [s.authKeysGet, s.authUsersGet, s.authBlocksList, s.authBlocksCreate, s.allPresence, s.gatewayHeartbeat, inbox('auth')],
      allowResponses: true,
    },
    messages: {
      publish: [s.allChatEvents, s.authUsersGet, s.authKeysGet, jsApi.info, ...jsApi.ownStream(s.chatEventsStream), ...blockCopy('messages'), ...revocations('read')],
      subscribe: [
        s.messagesChatsCreate,
        s.messagesChatsCreateMany,
        s.messagesChatsMember,
        s.messagesChatsEnd,
        s.messagesChatsSave,
        s.messagesEventsList,
        s.messagesSend,
        s.messagesRead,
        s.messagesDeliveriesReport,
        s.messagesChatsRecent,
        inbox('messages'),
      ],
      allowResponses: true,
    },
    roulette: {
      publish: [...s.durableUserEvents, s.messagesChatsCreate, s.messagesChatsCreateMany, s.messagesChatsEnd, s.messagesChatsSave, s.messagesChatsRecent, s.authUsersGet, s.authKeysGet, s.authBlocksCreate, jsApi.info, ...jsApi.ownStream(s.userEventsStream), ...blockCopy('roulette'), ...revocations('read')],
      subscribe: [s.allUserPresence, inbox('roulette')],
      allowResponses: false,
    },
    media: {
      publish: [s.mediaObjects, s.authKeysGet, jsApi.info, ...jsApi.objectStore(s.mediaBucket), ...revocations('read')],
      subscribe: [s.mediaRequests, inbox('media')],
      allowResponses: true,
    },
  };
}
