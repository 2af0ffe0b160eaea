import type { NatsConnection } from 'nats';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSubjects } from '@chatroulette/contracts';
import { AppError } from '@chatroulette/errors';
import type { Membership } from '../clients/membership.js';
import { leaveUws } from '../transport/outside-uws.js';
import { createLiveChats, type MemberAnswer } from './chats.js';
import { mayReach } from './may-reach.js';

const nc = { subscribe: () => ({ unsubscribe: () => undefined }) } as unknown as NatsConnection;
const answer = (open: boolean, last_seq: number): MemberAnswer => ({ participants: ['a', 'b'], open, last_seq });

/** Membership that answers from `state` and records who asked. */
function membershipOf(state: { open: boolean; last_seq: number } | Error) {
  const asked: string[] = [];
  const membership = {
    async check(chatId: string, userId: string) {
      asked.push(`${chatId}:${userId}`);
      if (state instanceof Error) throw state;
      return { is_member: ['a', 'b'].includes(userId), ...answer(state.open, state.last_seq) };
    },
  } as unknown as Membership;
  return { membership, asked };
}

function liveChats(membership: Membership) {
  return createLiveChats({ nc, subjects: createSubjects(''), log: pino({ level: 'silent' }), membership, received: () => undefined });
}

/** The recheck runs outside uWS, then waits for its answer. */
const settle = async () => {
  await leaveUws();
  await new Promise((r) => setImmediate(r));
};

describe('live chats', () => {
  it('knows a held chat from its membership answer, and who takes part, until it is released', () => {
    const chats = liveChats(membershipOf({ open: true, last_seq: 0 }).membership);
    chats.acquire('c1');
    chats.acquire('c1');
    chats.start('c1', answer(true, 3));
    expect(chats.access('c1')).toEqual({ participants: ['a', 'b'], open: true, seq: 3 });
    expect([...chats.chatsOf('a')!]).toEqual(['c1']);
    chats.release('c1');
    expect(chats.access('c1')).not.toBeNull();
    chats.release('c1');
    expect(chats.access('c1')).toBeNull();
    expect(chats.chatsOf('a')).toBeUndefined();
  });

  it('takes a chat as closed from its chatroulette_left until messages answers, and never an answer read before it', async () => {
    const state = { open: true, last_seq: 7 };
    const { membership, asked } = membershipOf(state);
    const chats = liveChats(membership);
    chats.acquire('c1');
    chats.start('c1', answer(true, 5));
    chats.ended('c1', 6);
    expect(chats.access('c1')?.open).toBe(false);
    // An admission's answer read before the end changes nothing.
    chats.start('c1', answer(true, 5));
    expect(chats.access('c1')?.open).toBe(false);
    await settle();
    // Saved: messages says open, as of seq 7.
    expect(asked[0]).toBe('c1:a');
    expect(chats.access('c1')).toEqual({ participants: ['a', 'b'], open: true, seq: 7 });
  });

  it('an end seen before the first answer closes the chat that answer opens', async () => {
    const { membership } = membershipOf({ open: false, last_seq: 4 });
    const chats = liveChats(membership);
    chats.acquire('c1');
    chats.ended('c1', 4);
    chats.start('c1', answer(true, 3));
    expect(chats.access('c1')?.open).toBe(false);
    await settle();
    expect(chats.access('c1')).toEqual({ participants: ['a', 'b'], open: false, seq: 4 });
  });

  it('stays closed when messages cannot be asked', async () => {
    const chats = liveChats(membershipOf(new Error('down')).membership);
    chats.acquire('c1');
    chats.start('c1', answer(true, 1));
    chats.ended('c1', 2);
    await settle();
    expect(chats.access('c1')?.open).toBe(false);
  });
});

/** Nobody blocks anybody. */
const blocks = { isBlockedPair: () => false };

describe('mayReach', () => {
  it('answers a held chat from what is known: participants, open', async () => {
    const { membership, asked } = membershipOf({ open: true, last_seq: 0 });
    const chats = liveChats(membership);
    chats.acquire('c1');
    chats.start('c1', answer(true, 1));
    expect(await mayReach({ chats, membership, blocks }, 'a', 'c1')).toEqual({ ok: true, others: ['b'] });
    expect(await mayReach({ chats, membership, blocks }, 'z', 'c1')).toMatchObject({ ok: false, code: 'not_participant' });
    chats.ended('c1', 2);
    expect(await mayReach({ chats, membership, blocks }, 'a', 'c1')).toMatchObject({ ok: false, code: 'chat_closed' });
    expect(asked.filter((a) => a.startsWith('c1:z'))).toEqual([]);
  });

  it('refuses a sender and a participant who block each other, either way round', async () => {
    const { membership } = membershipOf({ open: true, last_seq: 0 });
    const chats = liveChats(membership);
    chats.acquire('c1');
    chats.start('c1', answer(true, 1));
    const blocking = { isBlockedPair: (x: string, y: string) => [x, y].sort().join() === 'a,b' };
    expect(await mayReach({ chats, membership, blocks: blocking }, 'a', 'c1')).toMatchObject({ ok: false, code: 'blocked' });
    expect(await mayReach({ chats, membership, blocks: blocking }, 'b', 'c1')).toMatchObject({ ok: false, code: 'blocked' });
  });

  it('asks messages about a chat not held here', async () => {
    const closed = membershipOf({ open: false, last_seq: 9 });
    const chats = liveChats(closed.membership);
    expect(await mayReach({ chats, membership: closed.membership, blocks }, 'b', 'c2')).toMatchObject({ ok: false, code: 'chat_closed' });
    expect(await mayReach({ chats, membership: closed.membership, blocks }, 'z', 'c2')).toMatchObject({ ok: false, code: 'not_participant' });
    expect(closed.asked).toEqual(['c2:b', 'c2:z']);
    const gone = membershipOf(AppError.fromStatus(404, 'Chat not found'));
    expect(await mayReach({ chats, membership: gone.membership, blocks }, 'a', 'c3')).toMatchObject({ ok: false, code: 'not_participant' });
    const down = membershipOf(AppError.fromStatus(503, 'down'));
    expect(await mayReach({ chats, membership: down.membership, blocks }, 'a', 'c3')).toMatchObject({ ok: false, code: 'unavailable' });
  });
});
