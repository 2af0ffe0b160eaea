import net from 'node:net';

export interface TestInfra {
  natsUrl: string;
  databaseUrl: string;
  /** Stops what this run started (containers); nothing when the servers were already there. */
  stop(): Promise<void>;
}

const DEFAULT_NATS = 'nats://127.0.0.1:4222';
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432';

/**
 * Finds NATS and PostgreSQL for the tests: the servers at NATS_URL / DATABASE_URL when they answer,
 * else containers through testcontainers where Docker runs, else an error that says what to start.
 */
export async function findTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  const natsUrl = env.NATS_URL || DEFAULT_NATS;
  const databaseUrl = env.DATABASE_URL || DEFAULT_PG;
  const [natsUp, pgUp] = await Promise.all([reachable(natsUrl), reachable(databaseUrl)]);
  if (natsUp && pgUp) return { natsUrl, databaseUrl, stop: async () => undefined };

  const containers = await startContainers(natsUp ? undefined : 'nats', pgUp ? undefined : 'postgres').catch(
    (e: unknown) => {
      const missing = [natsUp ? '' : `NATS with JetStream at ${natsUrl}`, pgUp ? '' : `PostgreSQL at ${databaseUrl}`]
        .filter(Boolean)
        .join(' and ');
      throw new Error(
        `Tests need ${missing}. Start them (see README: "Running the tests"), set NATS_URL / DATABASE_URL, ` +
          `or run Docker so testcontainers can start them. (testcontainers: ${(e as Error).message})`,
      );
    },
  );
  return {
    natsUrl: containers.natsUrl ?? natsUrl,
    databaseUrl: containers.databaseUrl ?? databaseUrl,
    stop: containers.stop,
  };
}

async function startContainers(nats?: 'nats', postgres?: 'postgres') {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  let natsUrl: string | undefined;
  let databaseUrl: string | undefined;
  if (nats) {
    const c = await new GenericContainer('nats:2.10').withCommand(['-js']).withExposedPorts(4222).start();
    started.push(c);
    natsUrl = `nats://${c.getHost()}:${c.getMappedPort(4222)}`;
  }
  if (postgres) {
    const c = await new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    started.push(c);
    databaseUrl = `postgres://postgres@${c.getHost()}:${c.getMappedPort(5432)}`;
  }
  return { natsUrl, databaseUrl, stop: async () => void (await Promise.all(started.map((c) => c.stop()))) };
}

/** True when something accepts TCP connections at the URL's host and port. */
export function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const first = url.split(',')[0]!;
  const u = new URL(first);
  const port = Number(u.port || (u.protocol.startsWith('postgres') ? 5432 : 4222));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
