import { connect, type Msg, type NatsConnection } from 'nats';
import { createService as createAuth, type AuthConfig } from '@chatroulette/auth';
import { createSubjects, type Subjects } from '@chatroulette/contracts';
import { scopeConfig, sleep, type TestScope } from '@chatroulette/testing';
import { createService, type MessagesConfigInput } from '../src/service.js';

export function messagesConfig(scope: TestScope, overrides: Partial<MessagesConfigInput> = {}): MessagesConfigInput {
  return {
    ...scopeConfig(scope, 'messages'),
    databasePoolSize: 10,
    ...overrides,
  };
}

export async function startMessages(cfg: MessagesConfigInput) {
  const service = createService(cfg);
  try {
    const { port } = await service.start();
    return { base: `http://127.0.0.1:${port}`, destroy: service.destroy };
  } catch (e) {
    await service.destroy();
    throw e;
  }
}

/** The real auth service's config, to register users and sign tokens in the scope. */
export function authConfig(scope: TestScope): AuthConfig {
  return {
    ...scopeConfig(scope, 'auth'),
    databasePoolSize: 5,
    passwordHashCost: 10,
    tokenTtlSeconds: 3600,
    privateKeyPem: undefined,
    presenceSweepMs: 1000,
  };
}

/** The real auth service (to register users and sign tokens) and messages, plus a test NATS client. */
export async function startStack(scope: TestScope, overrides: Partial<MessagesConfigInput> = {}) {
  const auth = createAuth(authConfig(scope));
  const { port: authPort } = await auth.start();
  const messages = await startMessages(messagesConfig(scope, overrides));
  const nc = await connect({ servers: scope.natsUrl });
  const subjects = createSubjects(scope.namespace);
  return {
    authBase: `http://127.0.0.1:${authPort}`,
    base: messages.base,
    nc,
    subjects,
    stopMessages: messages.destroy,
    async destroy() {
      await nc.drain().catch(() => undefined);
      await messages.destroy();
      await auth.destroy();
    },
  };
}

export interface SeenEvent {
  subject: string;
  frame: any;
  raw: string;
  headers: Record<string, string>;
}

/** Collects every event published on a subject (core NATS sees each JetStream publish). */
export async function collect(nc: NatsConnection, subject: string) {
  const seen: SeenEvent[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_err, msg: Msg) => {
      const raw = new TextDecoder().decode(msg.data);
      const headers: Record<string, string> = {};
      for (const k of msg.headers?.keys() ?? []) headers[k] = msg.headers!.get(k);
      seen.push({ subject: msg.subject, frame: JSON.parse(raw), raw, headers });
    },
  });
  await nc.flush();
  return {
    seen,
    async waitFor(n: number, timeoutMs = 5000): Promise<SeenEvent[]> {
      const until = Date.now() + timeoutMs;
      while (seen.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} events on ${subject}, saw ${seen.length}`);
        await sleep(20);
      }
      return seen;
    },
    stop: () => sub.unsubscribe(),
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
export type { Subjects };
