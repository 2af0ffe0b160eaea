import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { createSubjects } from '@chatroulette/contracts';
import { createDb } from '@chatroulette/db';
import { drainNats, type NatsConnection } from '@chatroulette/nats';
import { api, collectEvents, pollUntil, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';
import { connectScopeNats } from './scope-nats.js';

/** What a crash leaves behind is finished by the relay job of a running instance. */
const scope = testScope('roulette-recovery');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let nc: NatsConnection;
let db: Kysely<any>;
let auth: string;
let messages: string;
let roulette: string;

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { roulette: fastJobs }, instances: ['auth', 'messages', 'roulette'] });
  nc = await connectScopeNats(scope, 'roulette-recovery-test');
  [auth, messages, roulette] = [stack.get('auth').url, stack.get('messages').url, stack.get('roulette').url];
  db = await createDb<any>({ serverUrl: scope.databaseUrl, database: scope.database('roulette'), poolSize: 2 }, pino({ level: 'silent' }));
});
afterAll(async () => {
  await db?.destroy();
  if (nc) await drainNats(nc);
  await stack?.destroy();
});

const status = (u: TestUser) => api(roulette, 'GET', '/api/v1/chatroulette/status', { token: u.token });

describe('recovery after a crash', () => {
  it('a match committed without its chat (crash before the chat was created) is finished and announced', async () => {
    const [a, b] = [await registerUser(auth, 'x'), await registerUser(auth, 'x')];
    const eventsA = await collectEvents(nc, subjects.userEvents(a.id));
    const eventsB = await collectEvents(nc, subjects.userEvents(b.id));
    const id = randomUUID();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('matches').values({ id, user_a: a.id, user_b: b.id, status: 'pending', retry_at: sql`now()` }).execute();
      await trx
        .insertInto('active_matches')
        .values([
          { user_id: a.id, match_id: id },
          { user_id: b.id, match_id: id },
        ])
        .execute();
    });
    await eventsA.waitFor(1);
    await eventsB.waitFor(1);
    await sleep(200);
    expect(eventsA.events).toHaveLength(1);
    expect(eventsB.events).toHaveLength(1);
    const chatId = eventsA.events[0]!.body.chat_id;
    expect(eventsA.events[0]!.body.payload.user.id).toBe(b.id);
    expect(eventsB.events[0]!.body).toMatchObject({ chat_id: chatId, payload: { chat_id: chatId, user: { id: a.id } } });
    expect((await status(a)).body).toMatchObject({ status: 'matched', chat_id: chatId });
    const posted = await api(messages, 'POST', `/api/v1/chats/${chatId}/messages`, {
      token: b.token,
      body: { type: 'text', content: 'recovered' },
    });
    expect(posted.status).toBe(201);
  });

  it('an event committed but not published (crash after commit) is published once by the relay', async () => {
    const u = await registerUser(auth, 'x');
    const subject = subjects.userEvent(u.id, 'chatroulette_match');
    const seen = await collectEvents(nc, subject);
    const body = JSON.stringify({ type: 'chatroulette_match', chat_id: randomUUID(), payload: {} });
    await db.insertInto('outbox').values({ subject, body, dedup_id: `left-behind:${u.id}` }).execute();
    await seen.waitFor(1);
    expect(seen.events.map((e) => JSON.stringify(e.body))).toEqual([body]);
    const left = await pollUntil(() => db.selectFrom('outbox').selectAll().execute(), (rows) => rows.length === 0);
    expect(left).toEqual([]);

    // A re-publish with the same dedup id (a crash after publishing, before the delete) is dropped by the stream.
    await db.insertInto('outbox').values({ subject, body, dedup_id: `left-behind:${u.id}` }).execute();
    await pollUntil(() => db.selectFrom('outbox').selectAll().execute(), (rows) => rows.length === 0);
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(subjects.userEventsStream, { subjects_filter: subject });
    expect(info.state.subjects?.[subject]).toBe(1);
  });

  it('a match ended without closing its chat (crash before messages was told) is closed by the relay', async () => {
    const [a, b] = [await registerUser(auth, 'x'), await registerUser(auth, 'x')];
    const search = (u: TestUser) => api(roulette, 'POST', '/api/v1/chatroulette/search', { token: u.token });
    expect((await search(a)).status).toBe(202);
    const matched = await search(b);
    expect(matched.status).toBe(200);
    const chatId = matched.body.chat_id;
    const chatEvents = await collectEvents(nc, subjects.chatEvents(chatId));
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('matches')
        .set({ status: 'ending', left_user_id: a.id, left_username: a.username, ended_at: sql`now()`, retry_at: sql`now()` })
        .where('chat_id', '=', chatId)
        .execute();
      await trx.deleteFrom('active_matches').where('user_id', 'in', [a.id, b.id]).execute();
    });
    await chatEvents.waitFor(1);
    expect(chatEvents.events[0]!.body).toMatchObject({ type: 'chatroulette_left', payload: { user_id: a.id, username: a.username } });
    const row = await pollUntil(
      () => db.selectFrom('matches').select('status').where('chat_id', '=', chatId).executeTakeFirstOrThrow(),
      (r) => r.status === 'ended',
    );
    expect(row.status).toBe('ended');
    expect((await status(b)).body.status).toBe('idle');
    chatEvents.stop();
  });
});
