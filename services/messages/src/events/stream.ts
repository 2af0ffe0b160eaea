import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Subjects } from '@chatroulette/contracts';
import { ensureStream } from '@chatroulette/nats';

/** The chat events stream; its duplicate window covers the relay's retries. */
export async function ensureChatEventsStream(nc: NatsConnection, subjects: Subjects, maxAgeMs: number, replicas: number, log: Logger) {
  await ensureStream(
    nc,
    {
      name: subjects.chatEventsStream,
      subjects: [subjects.allChatEvents],
      duplicateWindowMs: 2 * 60_000,
      maxAgeMs,
      maxMsgsPerSubject: -1,
      replicas,
    },
    log,
  );
}
