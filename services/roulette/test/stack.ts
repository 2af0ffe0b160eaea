import { createService as createAuth } from '@chatroulette/auth';
import { createService as createMessages } from '@chatroulette/messages';
import { createSubjects } from '@chatroulette/contracts';
import { scopeConfig, sleep, type TestScope } from '@chatroulette/testing';
import { pino } from 'pino';
import { connectNats, drainNats, type NatsConnection } from '@chatroulette/nats';
import { createService as createRoulette, type RouletteConfig } from '../src/service.js';

export function rouletteConfig(scope: TestScope, overrides: Partial<RouletteConfig> = {}): RouletteConfig {
  return {
    ...scopeConfig(scope, 'roulette'),
    databasePoolSize: 10,
    graceMs: 15_000,
    skipCooldownMs: 300_000,
    interestWaitMs: 5000,
    graceLoopMs: 50,
    matcherLoopMs: 100,
    relayLoopMs: 100,
    retryAfterMs: 5000,
    ...overrides,
  };
}

/** Real auth + messages + N roulette instances on one database, and a NATS connection for the test. */
export async function startStack(scope: TestScope, opts: { roulette?: Partial<RouletteConfig>; instances?: number } = {}) {
  const stoppers: Array<() => Promise<void>> = [];
  const destroy = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const auth = createAuth({
      ...scopeConfig(scope, 'auth'),
      databasePoolSize: 10,
      passwordHashCost: 10,
      tokenTtlSeconds: 3600,
      privateKeyPem: undefined,
      presenceSweepMs: 60_000,
    });
    stoppers.push(auth.destroy);
    const authPort = (await auth.start()).port;

    const messages = createMessages(scopeConfig(scope, 'messages'));
    stoppers.push(messages.destroy);
    const messagesPort = (await messages.start()).port;

    const roulettes: string[] = [];
    for (let i = 0; i < (opts.instances ?? 1); i++) {
      const r = createRoulette(rouletteConfig(scope, opts.roulette));
      stoppers.push(r.destroy);
      roulettes.push(`http://127.0.0.1:${(await r.start()).port}`);
    }

    const nc: NatsConnection = await connectNats({ url: scope.natsUrl, name: 'roulette-test', log: pino({ level: 'silent' }) });
    stoppers.push(() => drainNats(nc));

    return {
      auth: `http://127.0.0.1:${authPort}`,
      messages: `http://127.0.0.1:${messagesPort}`,
      roulette: roulettes[0]!,
      roulettes,
      nc,
      subjects: createSubjects(scope.namespace),
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Collects JSON messages published on a subject (wildcards allowed) from now on. */
export function collect(nc: NatsConnection, subject: string) {
  const items: Array<{ subject: string; body: any }> = [];
  const sub = nc.subscribe(subject, {
    callback: (_err, msg) => {
      items.push({ subject: msg.subject, body: JSON.parse(new TextDecoder().decode(msg.data)) });
    },
  });
  return {
    items,
    async waitFor(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count && Date.now() < deadline) await sleep(20);
      return items;
    },
    stop: () => sub.unsubscribe(),
  };
}
