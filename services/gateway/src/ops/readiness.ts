import type { NatsConnection } from 'nats';
import type { Agent } from 'undici';
import type { Upstream } from '../rest/route-table.js';
import type { UpstreamPool } from '../rest/upstream-pool.js';

/** What each upstream instance is asked: its readiness (its database and NATS answer). */
export const upstreamProbePath = '/readyz';
/** A readiness answer is reused this long, so /readyz cannot be used to hammer the upstreams. */
const cacheMs = 1000;
const probeTimeoutMs = 1000;

type CheckName = 'nats' | Upstream;
export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, 'ok' | 'fail'>;
}

/**
 * Ready when NATS answers a round trip and at least one instance of each upstream answers its probe
 * with a 2xx. Computed at most once per second; concurrent callers share one computation.
 */
export function createReadiness(deps: { nc: NatsConnection; agent: Agent; pools: Record<Upstream, UpstreamPool> }) {
  let last: { at: number; value: Readiness } | null = null;
  let running: Promise<Readiness> | null = null;

  async function natsOk(): Promise<boolean> {
    if (deps.nc.isClosed() || deps.nc.isDraining()) return false;
    return within(deps.nc.flush().then(() => true), probeTimeoutMs);
  }

  async function instanceOk(origin: string): Promise<boolean> {
    try {
      const res = await deps.agent.request({ origin, path: upstreamProbePath, method: 'GET', headersTimeout: probeTimeoutMs, bodyTimeout: probeTimeoutMs, signal: AbortSignal.timeout(probeTimeoutMs) });
      await res.body.dump();
      return res.statusCode >= 200 && res.statusCode < 300;
    } catch {
      return false;
    }
  }

  async function upstreamOk(pool: UpstreamPool): Promise<boolean> {
    if (pool.origins.length === 0) return false;
    return Promise.any(pool.origins.map(async (o) => ((await instanceOk(o)) ? true : Promise.reject()))).catch(() => false);
  }

  async function compute(): Promise<Readiness> {
    const [nats, auth, messages, roulette, media] = await Promise.all([
      natsOk(),
      upstreamOk(deps.pools.auth),
      upstreamOk(deps.pools.messages),
      upstreamOk(deps.pools.roulette),
      upstreamOk(deps.pools.media),
    ]);
    const flag = (ok: boolean): 'ok' | 'fail' => (ok ? 'ok' : 'fail');
    return {
      ready: nats && auth && messages && roulette && media,
      checks: { nats: flag(nats), auth: flag(auth), messages: flag(messages), roulette: flag(roulette), media: flag(media) },
    };
  }

  return {
    check(now = Date.now()): Promise<Readiness> {
      if (last && now - last.at < cacheMs) return Promise.resolve(last.value);
      running ??= compute()
        .then((value) => {
          last = { at: Date.now(), value };
          return value;
        })
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}

export type ReadinessCheck = ReturnType<typeof createReadiness>;

/** The /readyz body: 200 with every check, or 503 naming the failing ones. */
export function readinessAnswer(r: Readiness): { status: number; body: Record<string, unknown> } {
  if (r.ready) return { status: 200, body: { status: 'ok', checks: r.checks } };
  const failing = Object.entries(r.checks).filter(([, v]) => v !== 'ok').map(([k]) => k);
  return { status: 503, body: { status: 'unavailable', checks: r.checks, error: `Not ready: ${failing.join(', ')}`, code: 'unavailable' } };
}

function within(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([p.catch(() => false), timeout]).finally(() => clearTimeout(timer));
}
