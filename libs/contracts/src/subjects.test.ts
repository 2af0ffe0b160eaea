import { describe, expect, it } from 'vitest';
import { createSubjects, parseUserSubject, subjectIsKind, subjectKind } from './subjects.js';

describe('parseUserSubject', () => {
  it('reads the user and the event of user subjects, with or without a namespace', () => {
    const s = createSubjects('ns1');
    expect(parseUserSubject(s.userPresence('u1'), 'ns1')).toEqual({ userId: 'u1', event: 'presence' });
    expect(parseUserSubject(s.userEvent('u2', 'chatroulette_match'), 'ns1')).toEqual({ userId: 'u2', event: 'chatroulette_match' });
    expect(parseUserSubject('user.u3.chatroulette_match')).toEqual({ userId: 'u3', event: 'chatroulette_match' });
  });

  it.each(['chat.c1.new_message', 'user.u1', 'user..presence', 'user.u1.a.b', 'ns2.user.u1.presence'])('%s -> null', (subject) => {
    expect(parseUserSubject(subject, subject.startsWith('ns2') ? 'ns1' : '')).toBeNull();
  });
});

/** NATS subject matching: `*` one token, `>` the rest. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

describe('live subjects', () => {
  it.each(['', 'ns1'])('are captured by no JetStream stream (namespace %j): ephemeral, never stored or replayed', (ns) => {
    const s = createSubjects(ns);
    const streams = [s.allChatEvents, ...s.durableUserEvents, s.mediaObjects];
    for (const kind of ['typing', 'rtc_signal'] as const) {
      const subject = s.liveFrame('0b6f4b4e-8a52-4c1e-9d0e-1f2a3b4c5d6e', kind);
      expect(streams.filter((stream) => matches(stream, subject))).toEqual([]);
      expect(matches(s.liveFrames('0b6f4b4e-8a52-4c1e-9d0e-1f2a3b4c5d6e'), subject)).toBe(true);
      expect(matches(s.allLiveFrames, subject)).toBe(true);
    }
    // The matcher itself sees what the streams do take.
    expect(matches(s.allChatEvents, s.chatEvent('c1', 'new_message'))).toBe(true);
  });
});

describe('subjectKind / subjectIsKind', () => {
  it('read the last token', () => {
    const s = createSubjects('ns1');
    expect(subjectKind(s.chatEvent('c1', 'chatroulette_left'))).toBe('chatroulette_left');
    expect(subjectKind(s.liveFrame('c1', 'typing'))).toBe('typing');
    expect(subjectIsKind(s.chatEvent('c1', 'chatroulette_left'), 'chatroulette_left')).toBe(true);
    expect(subjectIsKind(s.chatEvent('c1', 'new_message'), 'chatroulette_left')).toBe(false);
    expect(subjectIsKind('chatroulette_left', 'chatroulette_left')).toBe(false);
    expect(subjectIsKind('chat.c1.xchatroulette_left', 'chatroulette_left')).toBe(false);
  });
});
