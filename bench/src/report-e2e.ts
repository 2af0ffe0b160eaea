import type { E2eResult } from './scenarios/e2e.js';
import type { E2ePath, E2ePathResult, E2eStep } from './scenarios/e2e-steps.js';

const paths: E2ePath[] = ['rest', 'socket', 'monolith'];
const short: Record<string, string> = { gateway: 'gw', messages: 'msg', auth: 'auth', postgres: 'pg', nats: 'nats', generator: 'gen', monolith: 'mono' };

/** The highest step (its target rate) that passed, 0 when none did or the path did not run. */
export function highestPassed(p: E2ePathResult | undefined): number {
  return Math.max(0, ...(p?.steps.filter((s) => s.pass).map((s) => s.rate) ?? []));
}

/** The one summary line of the end-to-end scenario. */
export function highestRateLine(e: E2eResult): string {
  const of = (name: E2ePath) => highestPassed(e.paths.find((p) => p.path === name));
  return `e2e highest rate (p99 < 50 ms): rest=${of('rest')} socket=${of('socket')} monolith=${of('monolith')} msg/s`;
}

const cpuCell = (s: E2eStep | undefined, f: (k: string) => string) => (s ? Object.keys(s.cpu).map(f).join(' · ') : '-');

/**
 * The end-to-end table: a row per rate with the three paths side by side (latency, then each
 * process's CPU in % of a core and in CPU ms per message created), then the summary rows.
 */
export function e2eRows(e: E2eResult): string[][] {
  const by = paths.map((name) => e.paths.find((p) => p.path === name));
  const rates = [...new Set(e.paths.flatMap((p) => p.steps.map((s) => s.rate)))].sort((a, b) => a - b);
  const rows: string[][] = [
    ['end to end (send -> the other participant\'s socket)', 'REST via gateway', 'socket via gateway', 'monolith REST', 'target', 'CPU % of a core: REST', 'socket', 'monolith', 'CPU ms per message: REST', 'socket', 'monolith'],
  ];
  rows.push(rows[0]!.map(() => '---'));
  for (const rate of rates) {
    const steps = by.map((p) => p?.steps.find((s) => s.rate === rate));
    const lat = (s?: E2eStep) => {
      if (!s) return '-';
      const lost = s.received < s.created ? ` (${s.received}/${s.created} delivered)` : '';
      return `${s.latency.p50Ms.toFixed(2)} / ${s.latency.p99Ms.toFixed(2)} / ${s.latency.p999Ms.toFixed(2)}${lost}${s.pass ? '' : ' FAIL'}`;
    };
    rows.push([
      `${rate} msg/s: p50 / p99 / p999 ms`,
      ...steps.map(lat),
      rate === 500 ? 'socket p99 <= 10 ms' : '',
      ...steps.map((s) => cpuCell(s, (k) => `${short[k] ?? k} ${s!.cpu[k]}`)),
      ...steps.map((s) => cpuCell(s, (k) => `${short[k] ?? k} ${s!.cpuMsPerMessage[k]}`)),
    ]);
  }
  const blank = ['', '', '', '', '', ''];
  rows.push(['highest rate with p99 < 50 ms (msg/s)', ...by.map((p) => (p ? String(highestPassed(p)) : 'not run')), 'rest >= 1500, socket >= 3000', ...blank]);
  rows.push(['socket path: p99 at 500 msg/s', '', e.socketP99At500Ms === null ? '-' : `${e.socketP99At500Ms.toFixed(2)} ms`, '', '<= 10 ms', ...blank]);
  const posters = (p?: E2ePathResult) => p?.steps.find((st) => st.rate === 500)?.posterCpuMsPerMessage;
  rows.push(['generator: the posters\' CPU ms per message at 500 msg/s', ...by.map((p) => String(posters(p) ?? '-')), 'below the gateway\'s', ...blank]);
  rows.push(['what limited it', ...by.map((p) => p?.limit ?? '-'), '', ...blank]);
  const pm = e.perMessage;
  if (pm) {
    const nats = pm.nats ? `; NATS ${pm.nats.msgsIn} msgs in / ${pm.nats.msgsOut} out, ${pm.nats.bytesIn} / ${pm.nats.bytesOut} B (all nodes)` : '';
    rows.push([`per message of the gateway paths (${pm.units}): PostgreSQL commits`, `${pm.pgCommits}${nats}`, '', '', '', ...blank]);
  }
  return rows;
}
