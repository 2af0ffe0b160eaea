import { describe, expect, it } from 'vitest';
import { AppError } from '@chatroulette/errors';
import { assertAllKnown, assertEndable, assertOpen, assertSavable, chatName, closesOnEnd, otherParticipants } from './chat.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const C = 'cccccccc-0000-4000-8000-000000000000';

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).status;
  }
  return undefined;
}

describe('chat rules', () => {
  it('removes duplicates and the caller from the participants, and needs someone else', () => {
    expect(otherParticipants(A, [B, B.toUpperCase(), A, C])).toEqual([B, C]);
    expect(status(() => otherParticipants(A, [A, A]))).toBe(400);
    expect(status(() => otherParticipants(A, Array.from({ length: 50 }, (_, i) => `${i}`)))).toBe(400);
  });

  it('refuses unknown users', () => {
    expect(status(() => assertAllKnown([B, C], new Map([[B, 'b']])))).toBe(400);
    expect(status(() => assertAllKnown([B], new Map([[B, 'b']])))).toBeUndefined();
  });

  it('closed chats take no messages; only roulette chats can be saved, once; saved chats survive an end', () => {
    expect(status(() => assertOpen({ id: A, type: 'roulette', status: 'closed' }))).toBe(409);
    expect(status(() => assertOpen({ id: A, type: 'roulette', status: 'open' }))).toBeUndefined();
    expect(status(() => assertSavable({ id: A, type: 'saved', status: 'open' }))).toBe(409);
    expect(status(() => assertSavable({ id: A, type: 'private', status: 'open' }))).toBe(400);
    expect(status(() => assertSavable({ id: A, type: 'roulette', status: 'open' }))).toBeUndefined();
    expect(closesOnEnd({ id: A, type: 'saved', status: 'open' })).toBe(false);
    expect(closesOnEnd({ id: A, type: 'roulette', status: 'open' })).toBe(true);
  });

  it('only a roulette chat, or one saved from it, can be ended', () => {
    expect(status(() => assertEndable({ id: A, type: 'private', status: 'open' }))).toBe(400);
    expect(status(() => assertEndable({ id: A, type: 'roulette', status: 'open' }))).toBeUndefined();
    expect(status(() => assertEndable({ id: A, type: 'saved', status: 'open' }))).toBeUndefined();
  });
});

describe('chat names', () => {
  it('names roulette and saved chats by their type, others by the given name', () => {
    expect(chatName({ type: 'roulette', name: '' })).toBe('Chatroulette Chat');
    expect(chatName({ type: 'saved', name: '' })).toBe('Saved Chat - Chatroulette Chat');
    expect(chatName({ type: 'private', name: 'Study' })).toBe('Study');
    expect(chatName({ type: 'private', name: '' })).toBe('');
  });

  it('lets the caller be alone only when asked', () => {
    expect(otherParticipants(A, [A], { alone: true })).toEqual([]);
    expect(status(() => otherParticipants(A, [A]))).toBe(400);
  });
});
