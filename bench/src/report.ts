import type { BenchResults } from './main.js';
import type { FanoutResult, StepResult } from './scenarios/fanout.js';
import { fmtK } from './scenarios/fanout.js';
import { e2eRows } from './report-e2e.js';

type Row = [figure: string, gateway: string, uws: string, socketio: string, vsUws: string, vsSio: string, target: string, genCpu: string, note: string];

const header: Row = ['figure', 'gateway', 'bare uWS', 'Socket.IO', 'gw / uWS', 'gw / SIO', 'target', 'generator CPU', 'what limited it'];

/**
 * Prints one markdown table of every figure of the run (peers side by side with the gateway), and
 * the end-to-end paths in a table of their own (their columns are the three paths).
 */
export function printTable(r: BenchResults): void {
  const rows: Row[] = [];
  for (const shape of ['pairs', 'room'] as const) {
    const by = (t: FanoutResult['target']) => r.fanout.find((f) => f.shape === shape && f.target === t);
    const gw = by('gateway');
    const uws = by('uws');
    const sio = by('socketio');
    const any = gw ?? uws ?? sio;
    if (!any) continue;
    const label = shape === 'pairs' ? `two-person chats (${any.sockets} sockets, ${any.chats} chats)` : `broadcast room (1 chat, ${any.sockets} sockets)`;
    const best = (f?: FanoutResult) => f?.best?.deliveredFps;
    const gen = (s?: StepResult | null) => (s ? `${s.cpu.generator}%` : '');
    rows.push([
      `${label}: delivered frames/s, p99 < 50 ms`,
      show(best(gw), fmtK),
      show(best(uws), fmtK),
      show(best(sio), fmtK),
      ratio(best(gw), best(uws)),
      ratio(best(gw), best(sio)),
      shape === 'pairs' ? '>= 2x SIO, >= 0.7x uWS' : '> 1M',
      [gw, uws, sio].map((f) => gen(f?.best)).join(' / '),
      [gw, uws, sio].filter(Boolean).map((f) => `${f!.target}: ${f!.limit}`).join('; '),
    ]);
    const at = (f?: FanoutResult) => (f?.at20k ? `${f.at20k.latency.p50Ms.toFixed(2)} / ${f.at20k.latency.p99Ms.toFixed(2)}` : '-');
    rows.push([
      `${label}: p50 / p99 ms at 20k frames/s`,
      at(gw),
      at(uws),
      at(sio),
      ratio(gw?.at20k?.latency.p99Ms, uws?.at20k?.latency.p99Ms),
      ratio(gw?.at20k?.latency.p99Ms, sio?.at20k?.latency.p99Ms),
      'p99 < 10 ms',
      [gw, uws, sio].map((f) => gen(f?.at20k)).join(' / '),
      lossNote([gw, uws, sio]),
    ]);
    const cpu = (f?: FanoutResult) => f?.at20k?.serverCpuPer10k;
    rows.push([
      `${label}: server CPU per 10k frames/s (% of a core, at 20k)`,
      show(cpu(gw), String),
      show(cpu(uws), String),
      show(cpu(sio), String),
      ratio(cpu(gw), cpu(uws)),
      ratio(cpu(gw), cpu(sio)),
      '',
      '',
      'lower is better',
    ]);
  }
  if (r.sockets) {
    const s = r.sockets;
    rows.push([
      `idle sockets (${s.opened}/${s.target} open): RSS per socket`,
      `${s.rssPerSocketBytes} B`,
      '',
      '',
      '',
      '',
      '< 3 KB',
      `${s.cpu.generator}%`,
      `RSS ${Math.round(s.rssBeforeKb / 1024)} -> ${Math.round(s.rssAfterKb / 1024)} MiB; open-file limit ${s.openFileLimit}; ${s.limit}`,
    ]);
    rows.push(['idle sockets: connects per second', `${s.connectsPerSec}/s`, '', '', '', '', '', `${s.cpu.generator}%`, `gateway ${s.cpu.gateway}% auth ${s.cpu.auth}% CPU while connecting`]);
  }
  if (r.matching) {
    const m = r.matching;
    rows.push([
      `matching (${m.users} users search at once): matches/s`,
      `${m.matchesPerSec}/s`,
      '',
      '',
      '',
      '',
      '',
      `${m.cpu.generator}%`,
      `${m.matchedUsers}/${m.users} matched in ${m.totalMs} ms; roulette ${m.cpu.roulette}% gw ${m.cpu.gateway}% messages ${m.cpu.messages}% CPU; ${m.limit}`,
    ]);
    rows.push([
      'matching: time to match p50 / p99 ms',
      `${m.timeToMatch.p50Ms.toFixed(1)} / ${m.timeToMatch.p99Ms.toFixed(1)}`,
      '',
      '',
      '',
      '',
      '',
      '',
      `search answers ${JSON.stringify(m.searchStatuses)}`,
    ]);
  }
  for (const b of r.budgets?.steps ?? []) {
    const what = b.kind === 'allowed' ? 'within budget (a write)' : 'past budget';
    rows.push([`budget consume, ${b.store}, ${what}, ${b.concurrency} at once: consumes/s; p50 / p99 ms`, `${b.consumesPerSec}/s; ${b.latency.p50Ms.toFixed(2)} / ${b.latency.p99Ms.toFixed(2)}`, '', '', '', '', '', '', 'the store alone, no service']);
  }
  const gwProcs = r.options.gatewayProcesses;
  console.log(`\nbench ${r.startedAt}, ${r.machine.cpus} x ${r.machine.model}, node ${r.machine.node}; ${r.command}; gateway processes: ${gwProcs}${gwProcs > 1 ? ' (CPU summed over them; idle sockets on 1)' : ''}${r.options.cluster ? '; cluster topology (3 NATS nodes, R3, two processes of each service, CPU summed over them)' : ''}\n`);
  for (const row of [header, header.map(() => '---') as Row, ...rows]) console.log(`| ${row.join(' | ')} |`);
  if (r.e2e) {
    console.log('');
    for (const row of e2eRows(r.e2e)) console.log(`| ${row.join(' | ')} |`);
  }
}

function show<T>(v: T | undefined, f: (v: T) => string): string {
  return v === undefined ? '-' : f(v);
}

function ratio(a?: number, b?: number): string {
  return a !== undefined && b ? `${(a / b).toFixed(2)}x` : '-';
}

function lossNote(fs: (FanoutResult | undefined)[]): string {
  return fs
    .filter((f): f is FanoutResult => !!f?.at20k)
    .map((f) => `${f.target} ${f.at20k!.received}/${f.at20k!.expected}${f.at20k!.injectorKeptUp ? '' : ' (injector behind)'}`)
    .join('; ');
}
