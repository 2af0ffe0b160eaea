import type { RequestHandler } from 'express';

/** Resolves when the dependency answers; throws (with a reason) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;
/** The checks of `/readyz`, by the name an answer gives them (`database`, `nats`). */
export type ReadinessChecks = Record<string, ReadinessCheck>;

export interface CheckResult {
  status: 'ok' | 'failed';
  duration_ms: number;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  body: { status: 'ok'; checks: Record<string, CheckResult> } | { status: 'unavailable'; error: string; code: 'unavailable'; checks: Record<string, CheckResult> };
}

/** A load balancer's probe waits about a second: a check slower than this has failed. */
export const READINESS_TIMEOUT_MS = 1000;

/** Runs every check at once, each bounded by `timeoutMs`; ready when all answered. */
export async function checkReadiness(checks: ReadinessChecks, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runCheck(checks[name]!, timeoutMs)));
  const byName = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
  const failed = names.filter((name) => byName[name]!.status === 'failed');
  if (failed.length === 0) return { ready: true, body: { status: 'ok', checks: byName } };
  return { ready: false, body: { status: 'unavailable', error: `Not ready: ${failed.join(', ')}`, code: 'unavailable', checks: byName } };
}

/** GET /readyz: 200 `{status: "ok", checks}` when every dependency answers, else 503 naming the failed checks. */
export function readinessRoute(checks: ReadinessChecks, timeoutMs?: number): RequestHandler {
  return async (_req, res) => {
    const { ready, body } = await checkReadiness(checks, timeoutMs);
    res.status(ready ? 200 : 503).json(body);
  };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { status: 'ok', duration_ms: elapsed(start) };
  } catch (err) {
    return { status: 'failed', duration_ms: elapsed(start), error: reason(err) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 10) / 10;

/** pg's connection errors can be AggregateErrors with an empty message: fall back to their code. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.message || (err as { code?: string }).code || err.name;
}
