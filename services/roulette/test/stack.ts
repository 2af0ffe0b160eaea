import * as auth from '@chatroulette/auth';
import * as messages from '@chatroulette/messages';
import { createSubjects } from '@chatroulette/contracts';
import { serviceEnv, sleep, type TestScope } from '@chatroulette/testing';
import { pino } from 'pino';
import { connectNats, drainNats, type NatsConnection } from '@chatroulette/nats';
import { configFromEnv, createService as createRoulette } from '../src/service.js';

type Env = Record<string, string>;

/** Roulette's jobs run often so the tests need not wait; `env` adds or overrides variables. */
export function rouletteEnv(scope: TestScope, env: Env = {}): Env {
  return serviceEnv(scope, 'roulette', {
    ROULETTE_GRACE_LOOP_MS: '50',
    ROULETTE_MATCHER_LOOP_MS: '100',
    ROULETTE_RELAY_LOOP_MS: '100',
    ROULETTE_RETRY_AFTER_MS: '5000',
    ...env,
  });
}

/** Real auth + messages + N roulette instances on one database, and a NATS connection for the test. */
export async function startStack(scope: TestScope, opts: { roulette?: Env; instances?: number } = {}) {
  const stoppers: Array<() => Promise<void>> = [];
  const destroy = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const authService = auth.createService(
      auth.configFromEnv(serviceEnv(scope, 'auth', { PASSWORD_HASH_COST: '10', TOKEN_TTL_SECONDS: '3600', PRESENCE_SWEEP_MS: '60000' })),
    );
    stoppers.push(authService.destroy);
    const authPort = (await authService.start()).port;

    const messagesService = messages.createService(messages.configFromEnv(serviceEnv(scope, 'messages')));
    stoppers.push(messagesService.destroy);
    const messagesPort = (await messagesService.start()).port;

    const roulettes: string[] = [];
    for (let i = 0; i < (opts.instances ?? 1); i++) {
      const r = createRoulette(configFromEnv(rouletteEnv(scope, opts.roulette)));
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
