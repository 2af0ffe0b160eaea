/**
 * The services, loaded only when a test runs one in its own process. Imported by package name and
 * dynamically: the services list @chatroulette/testing among their devDependencies (their tests use
 * it), so a declared dependency back would be a cycle; and a test that runs every service as a child
 * process (fault tests, the bench) never loads their code (nor uWebSockets.js) into itself.
 */
const modules = {
  auth: () => import('@chatroulette/auth'),
  messages: () => import('@chatroulette/messages'),
  roulette: () => import('@chatroulette/roulette'),
  media: () => import('@chatroulette/media'),
  gateway: () => import('@chatroulette/gateway'),
};

export type ServiceName = keyof typeof modules;

/** What createService takes beside the config (a logger to read in a test). */
export type ServiceOptions = NonNullable<Parameters<Awaited<ReturnType<(typeof modules)['auth']>>['createService']>[1]>;

export interface InProcessService {
  port: number;
  destroy(): Promise<void>;
}

/**
 * `createService(configFromEnv(env))` of the service, started: configured only through `env`, so
 * the defaults stay in the service's config.ts.
 */
export async function startInProcess(service: ServiceName, env: Record<string, string>, opts: ServiceOptions = {}): Promise<InProcessService> {
  const mod = await modules[service]();
  const svc = mod.createService(mod.configFromEnv(env) as never, opts);
  try {
    const { port } = await svc.start();
    return { port, destroy: () => svc.destroy() };
  } catch (e) {
    await svc.destroy();
    throw e;
  }
}
