import { headers as natsHeaders, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import type { Logger } from 'pino';

export interface StreamSpec {
  name: string;
  subjects: string[];
  /** Longer than the outbox relay's retry horizon, so a re-publish is dropped as a duplicate. */
  duplicateWindowMs: number;
  maxAgeMs: number;
  maxMsgsPerSubject?: number;
  /** Copies kept by a cluster (1 on a single server). */
  replicas?: number;
}

/** How long the setup of a stream or bucket may keep trying, in all. */
const SETUP_MS = 30_000;

/**
 * Runs a JetStream setup call (create or open a stream, a KV or object store bucket) again while it
 * times out or JetStream says it is not ready, for up to 30 s: on a busy cluster an R3 create can
 * outlast one request's timeout and still complete (the next attempt finds it), and a cluster just
 * formed may still be electing leaders. It also tries again when a create says the subjects overlap
 * an existing stream: nats-server 2.9 looks a stream up by name, then checks for overlapping
 * subjects, so two instances creating the same stream at once can see the other's fresh stream as
 * an overlap; the next attempt finds it by name. Any other error, or the last, is thrown.
 */
export async function jetStreamSetup<T>(setup: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + SETUP_MS;
  for (;;) {
    try {
      return await setup();
    } catch (e) {
      if (!notReadyYet(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function notReadyYet(e: unknown): boolean {
  const { code, message } = e as { code?: string; message?: string };
  return code === 'TIMEOUT' || code === '503' || /temporarily unavailable|no suitable peers|timeout|subjects overlap/i.test(message ?? '');
}

/** Creates the stream or updates it to this spec; safe when several instances start at once. */
export async function ensureStream(nc: NatsConnection, spec: StreamSpec, log: Logger): Promise<void> {
  await jetStreamSetup(() => createOrUpdate(nc, spec));
  log.info({ stream: spec.name, subjects: spec.subjects, replicas: spec.replicas ?? 1 }, 'JetStream stream ready');
}

async function createOrUpdate(nc: NatsConnection, spec: StreamSpec): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const config = {
    name: spec.name,
    subjects: spec.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: spec.duplicateWindowMs * 1_000_000,
    max_age: spec.maxAgeMs * 1_000_000,
    max_msgs_per_subject: spec.maxMsgsPerSubject ?? -1,
    num_replicas: spec.replicas ?? 1,
  };
  try {
    await jsm.streams.add(config);
  } catch (e) {
    // Another instance created it first, or it exists from an earlier run: bring it to this spec.
    await jsm.streams.update(spec.name, config);
  }
}

/** Publishes to JetStream and waits for the stream's ack; `dedupId` makes a re-publish harmless. */
export async function publishDurable(
  nc: NatsConnection,
  subject: string,
  body: Uint8Array,
  dedupId: string,
  extraHeaders: Record<string, string> = {},
  timeoutMs = 5000,
): Promise<{ duplicate: boolean }> {
  const js = nc.jetstream();
  const h = natsHeaders();
  for (const [k, v] of Object.entries(extraHeaders)) h.set(k, v);
  const ack = await js.publish(subject, body, { msgID: dedupId, headers: h, timeout: timeoutMs });
  return { duplicate: ack.duplicate };
}
