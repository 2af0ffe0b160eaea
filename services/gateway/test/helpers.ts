import { connect } from 'nats';
import type { Logger } from '@chatroulette/logger';
import { createSubjects } from '@chatroulette/contracts';
import { generatePrivateKeyPem, loadSigningKey, signToken, type SigningKey } from '@chatroulette/tokens';
import { createChat, noteGateway, openSocket, registerUser, roomyGatewayBudgets, serviceEnv, type SocketClient, type Stack, type StackInfra, type TestUser } from '@chatroulette/testing';
import { configFromEnv, createService } from '../src/service.js';

/**
 * A signing key the test holds as auth does (auth gets it through AUTH_PRIVATE_KEY), to sign tokens
 * auth would not hand out: expired, short-lived, or for users that exist only in their token.
 */
export function heldSigningKey() {
  const privateKeyPem = generatePrivateKeyPem();
  return { key: loadSigningKey(privateKeyPem), authEnv: { AUTH_PRIVATE_KEY: privateKeyPem } };
}

export function tokenFor(key: SigningKey, user: { id: string; username: string }, ttlSeconds: number): string {
  return signToken(key, { sub: user.id, username: user.username }, ttlSeconds);
}

/** A NATS client on the test's namespace, to publish what the services would and watch what the gateway publishes. */
export async function natsOf(infra: StackInfra) {
  return { nc: await connect({ servers: infra.natsUrl }), subjects: createSubjects(infra.namespace) };
}

/**
 * A gateway in this process, configured as the stack configures one (its env, every auth and messages
 * instance of `stack` as upstreams, no roulette, its media instances if any), that hands back the service itself: for tests that
 * read its counters (`stats()`) or its metrics port, which the stack's instances do not expose. Its
 * metrics listen on a free port, not on the default 9464 that parallel test files would share.
 */
export async function startGatewayWithStats(stack: Stack, infra: StackInfra, env: Record<string, string> = {}, opts: { log?: Logger } = {}) {
  const upstreams = (service: 'auth' | 'messages' | 'media') => stack.all(service).map((i) => i.url).join(',');
  const nowhere = 'http://127.0.0.1:9';
  return startGateway(infra, { AUTH_URL: upstreams('auth'), MESSAGES_URL: upstreams('messages'), ROULETTE_URL: nowhere, MEDIA_URL: upstreams('media') || nowhere, ...env }, opts);
}

/** A gateway in this process on the test's NATS, with the upstreams `env` names (no stack needed). */
export async function startGateway(infra: StackInfra, env: Record<string, string>, opts: { log?: Logger } = {}) {
  const service = createService(configFromEnv({ ...serviceEnv(infra, 'gateway'), ...roomyGatewayBudgets, METRICS_PORT: '0', ...env }), opts);
  try {
    const { port } = await service.start();
    noteGateway(`http://127.0.0.1:${port}`);
    return { service, port, url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${service.metricsPort}/metrics`, stop: () => service.destroy() };
  } catch (e) {
    await service.destroy();
    throw e;
  }
}

/** The value of one sample of a gateway's metrics scrape (the first matching `labels`), 0 when absent. */
export async function metricValue(metricsUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    // Label values may hold spaces (the route label does): the value is after the last space.
    const at = line.lastIndexOf(' ');
    const labelText = line.slice(name.length, at);
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) return Number(line.slice(at + 1));
  }
  return 0;
}

/**
 * Sends a ping and waits for its pong: everything the gateway sent this socket before it read the
 * ping has arrived by then (one connection, in order), so what has not come will not.
 */
export async function pingBarrier(socket: SocketClient): Promise<void> {
  const pongs = socket.ofType('pong').length;
  socket.send({ type: 'ping' });
  await socket.waitFor((f) => f.type === 'pong', pongs + 1);
}

/** Sockets a test file opens as users, all closed by `closeAll` at its end. */
export function socketPool() {
  const opened: SocketClient[] = [];
  return {
    async open(gateway: { url: string }, user: TestUser, chatId?: string): Promise<SocketClient> {
      const s = await openSocket(gateway.url, { token: user.token, chat_id: chatId });
      opened.push(s);
      return s;
    },
    closeAll(): void {
      for (const s of opened) s.close();
    },
  };
}

/** Two fresh users and a private chat of theirs, made through `gatewayUrl`. */
export async function chatPair(gatewayUrl: string, prefix: string): Promise<{ a: TestUser; b: TestUser; chatId: string }> {
  const [a, b] = await Promise.all([registerUser(gatewayUrl, `${prefix}a`), registerUser(gatewayUrl, `${prefix}b`)]);
  return { a, b, chatId: await createChat(gatewayUrl, a, [b]) };
}
