import { nowUs, sleep } from '../clock.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { api } from '@chatroulette/testing';
import { mapLimit, type BenchUser } from '../fixtures.js';
import { cpuMeter, round } from '../proc.js';
import type { Stack } from '../services.js';
import { openRawWs, type RawWs } from '../ws/raw-client.js';
import { log } from './fanout.js';

export interface MatchingResult {
  users: number;
  searchStatuses: Record<string, number>;
  matchedUsers: number;
  matchesPerSec: number;
  timeToMatch: LatencySummary;
  /** The search calls themselves, until their answer (200 once the chat exists, or 202). */
  searchAnswer: LatencySummary;
  totalMs: number;
  cpu: Record<string, number>;
  limit: string;
}

const MATCH = Buffer.from('"chatroulette_match"');

/**
 * K users search at once through the gateway; time-to-match runs from each user's search call to
 * the chatroulette_match frame on its socket (opened without chat_id).
 */
export async function runMatching(stack: Stack, users: BenchUser[]): Promise<MatchingResult> {
  const arrived = new Map<number, number>();
  const sockets: RawWs[] = [];
  const port = stack.ports.gateway;
  await mapLimit(users, 50, async (u, i) => {
    const ws = await openRawWs(
      { host: '127.0.0.1', port, path: `/api/v1/ws?token=${u.token}`, localAddress: `127.0.0.${2 + (i % 8)}` },
      (_op, buf, start, end) => {
        const at = buf.indexOf(MATCH, start);
        if (at >= 0 && at < end && !arrived.has(i)) arrived.set(i, nowUs());
      },
      () => undefined,
    );
    sockets.push(ws);
  });
  await sleep(500);
  const started = new Array<number>(users.length);
  const statuses: Record<string, number> = {};
  const answered = new Histogram();
  const meter = cpuMeter({ gateway: stack.gateways.map((g) => g.pid), roulette: stack.pids('roulette'), messages: stack.pids('messages') });
  const cpu0 = process.cpuUsage();
  const t0 = nowUs();
  await mapLimit(users, 100, async (u, i) => {
    started[i] = nowUs();
    const r = await api(stack.base, 'POST', '/api/v1/chatroulette/search', { token: u.token, body: {} });
    answered.record(nowUs() - started[i]!);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  });
  const deadline = Date.now() + 20_000;
  const want = users.length - (users.length % 2);
  while (arrived.size < want && Date.now() < deadline) await sleep(50);
  const cpu = meter.stop();
  const parent = process.cpuUsage(cpu0);
  const hist = new Histogram();
  let last = t0;
  for (const [i, at] of arrived) {
    hist.record(at - started[i]!);
    if (at > last) last = at;
  }
  for (const ws of sockets) ws.close();
  const totalMs = (last - t0) / 1000;
  const result: MatchingResult = {
    users: users.length,
    searchStatuses: statuses,
    matchedUsers: arrived.size,
    matchesPerSec: totalMs > 0 ? Math.round(arrived.size / 2 / (totalMs / 1000)) : 0,
    timeToMatch: hist.summary(),
    searchAnswer: answered.summary(),
    totalMs: round(totalMs, 1),
    cpu: {
      gateway: cpu.pct.gateway!,
      roulette: cpu.pct.roulette!,
      messages: cpu.pct.messages!,
      generator: round(((parent.user + parent.system) / 1000 / cpu.wallMs) * 100, 1),
    },
    limit: arrived.size < want ? `${want - arrived.size} users got no chatroulette_match in 20 s` : 'all matched',
  };
  log(`  matching: ${arrived.size}/${users.length} matched in ${result.totalMs} ms (${result.matchesPerSec} matches/s), p50 ${result.timeToMatch.p50Ms.toFixed(1)} p99 ${result.timeToMatch.p99Ms.toFixed(1)} ms ${JSON.stringify(statuses)}; search answered p50 ${result.searchAnswer.p50Ms.toFixed(1)} p99 ${result.searchAnswer.p99Ms.toFixed(1)} ms`);
  return result;
}
