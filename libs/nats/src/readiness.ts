import type { JetStreamManager, NatsConnection } from 'nats';

/**
 * The `nats` check of `/readyz`: connected (a disconnect is seen at once, not after a timeout) and
 * JetStream answering an account-info request within `timeoutMs`, since every service's events go
 * through JetStream.
 */
export function natsReady(nc: NatsConnection, timeoutMs = 1000): () => Promise<void> {
  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') connected = false;
      else if (s.type === 'reconnect') connected = true;
    }
  })();
  let jsm: Promise<JetStreamManager> | undefined;
  return async () => {
    if (nc.isClosed() || nc.isDraining()) throw new Error('the NATS connection is closed');
    if (!connected) throw new Error('disconnected from NATS, reconnecting');
    jsm ??= nc.jetstreamManager({ timeout: timeoutMs, checkAPI: false });
    try {
      await (await jsm).getAccountInfo();
    } catch (err) {
      throw new Error(`JetStream did not answer: ${(err as Error).message}`);
    }
  };
}
