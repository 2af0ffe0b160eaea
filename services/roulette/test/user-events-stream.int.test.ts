import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSubjects } from '@chatroulette/contracts';
import { drainNats, encodeText, ensureStream, type NatsConnection } from '@chatroulette/nats';
import { startStack, testScope } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';
import { connectScopeNats } from './scope-nats.js';

const scope = testScope('roulette-stream');
const subjects = createSubjects(scope.namespace);
const log = pino({ level: 'silent' });
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectScopeNats(scope, 'roulette-stream-test');
});
afterAll(async () => {
  await drainNats(nc);
});

describe('the USER_EVENTS stream', () => {
  it('an older stream on every user subject is narrowed at start, so auth presence publishes are not kept', async () => {
    // The stream as earlier versions created it, on `user.>`.
    await ensureStream(nc, { name: subjects.userEventsStream, subjects: [subjects.allUserEvents], duplicateWindowMs: 120_000, maxAgeMs: 3_600_000 }, log);

    const stack = await startStack({ infra: scope, env: { roulette: fastJobs }, instances: ['roulette'] });
    try {
      const jsm = await nc.jetstreamManager();
      expect((await jsm.streams.info(subjects.userEventsStream)).config.subjects).toEqual([...subjects.durableUserEvents]);

      const userId = randomUUID();
      const presence = { user_id: userId, username: 'u', is_online: true, last_seen: null };
      nc.publish(subjects.userPresence(userId), encodeText(JSON.stringify(presence)));
      await nc.jetstream().publish(subjects.userEvent(userId, 'chatroulette_match'), encodeText('{}'));
      const state = (await jsm.streams.info(subjects.userEventsStream, { subjects_filter: subjects.userEvents(userId) })).state;
      expect(state.subjects).toEqual({ [subjects.userEvent(userId, 'chatroulette_match')]: 1 });
    } finally {
      await stack.destroy();
    }
  });
});
