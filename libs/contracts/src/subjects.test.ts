import { describe, expect, it } from 'vitest';
import { createSubjects, parseUserSubject } from './subjects.js';

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
