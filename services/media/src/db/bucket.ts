import { StorageType, type NatsConnection, type ObjectStore } from 'nats';
import type { Logger } from 'pino';
import { jetStreamSetup } from '@chatroulette/nats';

/**
 * The object store bucket of uploaded files (created at first start; an existing one is used as it
 * is). File storage, `replicas` copies on a cluster.
 */
export async function openBucket(nc: NatsConnection, name: string, replicas: number, log: Logger): Promise<ObjectStore> {
  const os = await jetStreamSetup(() => nc.jetstream().views.os(name, { storage: StorageType.File, replicas }));
  log.info({ bucket: name, replicas }, 'object store bucket ready');
  return os;
}

/** The bucket's JetStream stream (object store streams are named OBJ_<bucket>, ADR-20). */
export const bucketStream = (bucket: string) => `OBJ_${bucket}`;

/** The subject holding one object's chunks (ADR-20): `$O.<bucket>.C.<nuid>`. */
export const chunkSubject = (bucket: string, nuid: string) => `$O.${bucket}.C.${nuid}`;
