import { describe, expect, it } from 'vitest';
import { usernameKey } from './user.js';
import { publicProfileView } from './views.js';

describe('usernameKey', () => {
  it('keys usernames without regard to case', () => {
    expect(usernameKey('VaSyA')).toBe(usernameKey('vasya'));
  });
});

describe('publicProfileView', () => {
  const row = {
    id: 'u', username: 'vasya', is_online: true, last_seen: null, created_at: new Date(0),
    display_name: null, bio: null, avatar_url: null, birthday: '1990-01-02',
    show_username: true, show_birthday: false, show_online_status: true,
  };
  it('shows what the flags allow and nothing else', () => {
    expect(publicProfileView(row)).toMatchObject({ username: 'vasya', is_online: true });
    expect(publicProfileView(row)).not.toHaveProperty('birthday');
    const hidden = publicProfileView({ ...row, show_username: false, show_online_status: false, show_birthday: true });
    expect(hidden).toMatchObject({ id: 'u', birthday: '1990-01-02' });
    for (const k of ['username', 'is_online', 'last_seen', 'show_username']) expect(hidden).not.toHaveProperty(k);
    expect(publicProfileView({ ...row, show_birthday: true, birthday: null })).not.toHaveProperty('birthday');
  });
});
