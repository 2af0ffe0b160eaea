import { afterAll, beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { ChatFollower, registerUser, sleep, startStack, testScope, type Instance, type OwnService, type Stack, type TestUser } from '@chatroulette/testing';
import { followNewChat, SendStats, compare, fullHistory, report, sendWithRetry, settle, unlimitedSends } from './fault-kit.js';
import { faultLoad, loadedRestartDelaysMs, startCpuHogs } from './load.js';
import { auditMissing } from './seq-audit.js';

// The messages service SIGKILLed 5 times while two users exchange over 1,000 messages through a gateway.
// FAULT_LOAD=1 adds CPU hogs and slower restarts, FAULT_REPEAT=<n> runs it n times (load.ts).
const KILLS = 5;
const UPTIME_MS = 1500;
const MIN_MESSAGES = 1000;
const LOOPS_PER_USER = 3;

const scope = testScope('fault-messages-kill');
let stack: Stack;
let messages: OwnService;
let gw: Instance;
let a: TestUser;
let b: TestUser;
let hogs: { stop(): void } | undefined;
/** The gateway's log lines (it runs in this process), for a failed run's report. */
const gatewayLog: string[] = [];

beforeAll(async () => {
  if (faultLoad.loaded) hogs = startCpuHogs(faultLoad.repeat * 180_000 + 60_000);
  const log = pino({ level: 'debug' }, { write: (line: string) => void gatewayLog.push(line) });
  stack = await startStack({
    infra: scope,
    instances: [
      ['auth', { service: 'messages', run: 'process', env: unlimitedSends, process: { readyTimeoutMs: faultLoad.loaded ? 60_000 : undefined } }],
      { service: 'gateway', options: { log } },
    ],
  });
  messages = stack.process('messages');
  gw = stack.get('gateway');
  [a, b] = await Promise.all([registerUser(gw.url, 'ann'), registerUser(gw.url, 'bob')]);
}, faultLoad.loaded ? 180_000 : undefined);

afterAll(async () => {
  hogs?.stop();
  await stack?.destroy();
});

for (let run = 1; run <= faultLoad.repeat; run++) {
  const label = faultLoad.repeat > 1 ? ` (run ${run} of ${faultLoad.repeat})` : '';
  it(`loses, duplicates and reorders nothing while the messages service is SIGKILLed repeatedly${label}`, async () => {
    const { chatId, followers } = await followNewChat(gw.url, a, b, () => gw.url);
    try {
      await killWhileSending(chatId, followers);
    } finally {
      for (const f of followers) f.close();
    }
  }, faultLoad.loaded ? 360_000 : undefined);
}

async function killWhileSending(chatId: string, followers: ChatFollower[]) {
  const stats = new SendStats();
  const started = Date.now();
  // Loaded, five restarts alone can take a minute.
  const deadline = started + (faultLoad.loaded ? 240_000 : 90_000);
  let next = 0;
  let killsDone = false;
  const downtimes: number[] = [];
  const logFrom = gatewayLog.length;
  const messagesLogFrom = messages.lines.length;

  const killer = (async () => {
    for (let i = 0; i < KILLS; i++) {
      await sleep(UPTIME_MS);
      messages.kill('SIGKILL');
      await messages.waitExit(5000);
      const down = Date.now();
      if (faultLoad.loaded) await sleep(loadedRestartDelaysMs[i % loadedRestartDelaysMs.length]!);
      await messages.restart();
      downtimes.push(Date.now() - down);
    }
    killsDone = true;
  })();

  const sender = async (user: TestUser, loop: number) => {
    while (Date.now() < deadline && (!killsDone || next < MIN_MESSAGES)) {
      const n = next++;
      await sendWithRetry(gw.url, user, chatId, `m${n}-${user.username}-${loop}`, stats, deadline);
    }
  };
  await Promise.all([
    killer,
    ...[a, b].flatMap((u) => Array.from({ length: LOOPS_PER_USER }, (_, i) => sender(u, i))),
  ]);
  const sendMs = Date.now() - started;

  const last = await settle(gw.url, a, chatId, followers);
  const history = await fullHistory(gw.url, a, chatId);
  const figures = compare(history, followers, last);
  const contents = history.map((m) => m.content);
  const retryDuplicates = contents.length - new Set(contents).size;
  report('messages-sigkill', figures, {
    kills: KILLS,
    posts: stats.posts,
    retried: stats.retried,
    answered201: stats.created,
    retry_duplicates_in_history: retryDuplicates,
    last_seq: last,
    reconnects: followers.reduce((n, f) => n + f.reconnects, 0),
    send_ms: sendMs,
    restart_ms: downtimes.join('/'),
    ...(faultLoad.loaded ? { loaded: 1 } : {}),
  });
  if (figures.lost + figures.duplicated + figures.reordered > 0) {
    // What finding the cause takes: the missing seqs as the log holds them, and what the gateway and the relay said.
    const lines = [
      ...(await auditMissing(scope.databaseUrl, scope.database('messages'), chatId, followers, last)),
      ...gatewayLog.slice(logFrom).filter((l) => /gap|sequence|Chat-Seq|caught up/i.test(l)),
      ...messages.lines.slice(messagesLogFrom).filter((l) => /relay|publish/i.test(l)),
    ];
    process.stdout.write(`[fault:messages-sigkill] audit of chat ${chatId}:\n${lines.join('\n')}\n`);
  }

  expect(stats.unexpected).toEqual([]);
  // Retries carry the first attempt's client_message_id: none stores a second copy.
  expect(retryDuplicates).toBe(0);
  expect(figures.sent).toBeGreaterThanOrEqual(MIN_MESSAGES);
  // Every 201 answer is in the history (plus messages whose answer a kill swallowed).
  expect(figures.sent).toBeGreaterThanOrEqual(stats.created);
  expect(stats.retried).toBeGreaterThan(0);
  expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  expect(followers.map((f) => f.last)).toEqual([last, last]);
  expect(followers.flatMap((f) => f.recoveries.filter((r) => r.payload.recovered === false))).toEqual([]);
}
