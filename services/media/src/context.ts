import type { ObjectStore } from 'nats';
import type { Logger } from '@chatroulette/logger';
import type { NatsConnection } from '@chatroulette/nats';

/** What the use cases share: the bucket of files and the connection it lives on. */
export interface MediaContext {
  nc: NatsConnection;
  bucket: ObjectStore;
  log: Logger;
}
