import { describe, expect, it } from 'vitest';
import { isAllowedMediaUrl, sendMessageBody } from './message.js';

describe('isAllowedMediaUrl', () => {
  it.each(['https://example.com/a.png', 'http://example.com/a.png', 'HTTPS://EXAMPLE.COM/a', '/uploads/u/f.png'])('allows %s', (url) =>
    expect(isAllowedMediaUrl(url)).toBe(true),
  );

  it.each([
    'javascript:alert(1)',
    'data:image/png;base64,AAAA',
    'file:///etc/passwd',
    'ftp://example.com/a',
    '//example.com/a.png',
    'https:///nohost',
    'https:/example.com',
    '/uploads//example.com/a',
    '/uploads\\..\\x',
    '/api/v1/uploads/x',
    ' https://example.com',
  ])('refuses %s', (url) => expect(isAllowedMediaUrl(url)).toBe(false));

  it('is what the send body checks (an empty media_url is a text message\'s)', () => {
    expect(sendMessageBody.safeParse({ type: 'image', media_url: 'javascript:alert(1)' }).success).toBe(false);
    expect(sendMessageBody.safeParse({ type: 'text', content: 'hi', media_url: '' }).success).toBe(true);
    expect(sendMessageBody.safeParse({ type: 'gif', media_url: '/uploads/u/f.gif' }).success).toBe(true);
  });
});
