import { describe, expect, it } from 'vitest';
import { parseSocketQuery } from './socket-query.js';

const chat = '3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11';

describe('parseSocketQuery', () => {
  it('reads token, chat_id and since', () => {
    expect(parseSocketQuery(`token=abc&chat_id=${chat}&since=7`, '')).toEqual({
      ok: true,
      value: { token: 'abc', protocol: '', chatId: chat, since: 7, firstFrame: false },
    });
  });

  it('treats an empty chat_id or since as none, and a missing token as null', () => {
    expect(parseSocketQuery('chat_id=&since=', '')).toEqual({
      ok: true,
      value: { token: null, protocol: '', chatId: null, since: null, firstFrame: false },
    });
  });

  it('refuses a malformed chat_id or since', () => {
    expect(parseSocketQuery('token=a&chat_id=nope', '').ok).toBe(false);
    expect(parseSocketQuery('token=a&since=-1', '').ok).toBe(false);
    expect(parseSocketQuery('token=a&since=1.5', '').ok).toBe(false);
    expect(parseSocketQuery('token=a&since=abc', '').ok).toBe(false);
  });

  it('takes the token from a bearer subprotocol and echoes another offered protocol', () => {
    expect(parseSocketQuery('', 'chatroulette, bearer.xyz')).toEqual({
      ok: true,
      value: { token: 'xyz', protocol: 'chatroulette', chatId: null, since: null, firstFrame: false },
    });
    expect(parseSocketQuery('', 'auth.first-frame, bearer.xyz')).toMatchObject({ value: { token: 'xyz', protocol: 'auth.first-frame' } });
  });

  it('never echoes the bearer protocol: offered alone it is refused, naming what to offer', () => {
    const alone = parseSocketQuery('', 'bearer.xyz');
    expect(alone).toMatchObject({ ok: false, token: 'xyz' });
    expect(JSON.stringify(alone)).not.toContain('"protocol":"bearer');
    expect(parseSocketQuery('token=q', 'bearer.xyz').ok).toBe(false);
  });

  it('reads the first-frame auth request from the subprotocol or the query', () => {
    expect(parseSocketQuery('', 'auth.first-frame')).toMatchObject({ value: { token: null, protocol: 'auth.first-frame', firstFrame: true } });
    expect(parseSocketQuery('', 'auth.first-frame, chatroulette')).toMatchObject({ value: { protocol: 'chatroulette', firstFrame: true } });
    expect(parseSocketQuery('auth=frame', '')).toMatchObject({ value: { token: null, protocol: '', firstFrame: true } });
    expect(parseSocketQuery('auth=other', '')).toMatchObject({ value: { firstFrame: false } });
  });

  it('prefers the query token', () => {
    expect(parseSocketQuery('token=q', 'chatroulette, bearer.p')).toMatchObject({ value: { token: 'q' } });
  });
});
