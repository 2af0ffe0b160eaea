import * as auth from '@chatroulette/auth';
import * as messages from '@chatroulette/messages';
import * as roulette from '@chatroulette/roulette';
import * as gateway from '@chatroulette/gateway';
import { serviceEnv, type TestScope } from '@chatroulette/testing';

/** One running service: its HTTP port and how to stop it. */
export interface Running {
  port: number;
  url: string;
  destroy(): Promise<void>;
}

type Env = Record<string, string>;

/**
 * The whole backend in this process, on free ports, in the scope's NATS namespace and databases:
 * what a client sees through the gateway, with the real services, NATS and PostgreSQL behind it.
 * Several instances of a service share its database (instance 1, 2, ...).
 */
export function createStack(scope: TestScope, extraEnv: Partial<Record<'auth' | 'messages' | 'roulette' | 'gateway', Env>> = {}) {
  const running: Running[] = [];
  const base = (service: string): Env => serviceEnv(scope, service);

  async function run(svc: { start(): Promise<{ port: number }>; destroy(): Promise<void> }): Promise<Running> {
    const { port } = await svc.start();
    const r = { port, url: `http://127.0.0.1:${port}`, destroy: () => svc.destroy() };
    running.push(r);
    return r;
  }

  return {
    auth: (env: Env = {}) =>
      run(auth.createService(auth.configFromEnv({ ...base('auth'), PASSWORD_HASH_COST: '10', ...extraEnv.auth, ...env }))),
    messages: (env: Env = {}) =>
      run(messages.createService(messages.configFromEnv({ ...base('messages'), ...extraEnv.messages, ...env }))),
    roulette: (env: Env = {}) =>
      run(roulette.createService(roulette.configFromEnv({ ...base('roulette'), ...extraEnv.roulette, ...env }))),
    gateway: (upstreams: { auth: Running[]; messages: Running[]; roulette?: Running[] }, env: Env = {}) =>
      run(
        gateway.createService(
          gateway.configFromEnv({
            ...base('gateway'),
            AUTH_URL: upstreams.auth.map((r) => r.url).join(','),
            MESSAGES_URL: upstreams.messages.map((r) => r.url).join(','),
            ROULETTE_URL: (upstreams.roulette ?? []).map((r) => r.url).join(',') || 'http://127.0.0.1:9',
            ...extraEnv.gateway,
            ...env,
          }),
        ),
      ),
    /** Stops everything started, gateways first so sockets close before the services go. */
    async destroy() {
      for (const r of running.reverse()) await r.destroy();
      running.length = 0;
    },
  };
}

export type Stack = ReturnType<typeof createStack>;
