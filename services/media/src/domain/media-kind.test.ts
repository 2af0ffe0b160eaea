import { describe, expect, it } from 'vitest';
import { acceptedType, contentTypeOfExt, maxBytesOf, maxUploadBytes } from './media-kind.js';

describe('acceptedType', () => {
  it.each([
    ['jpg', 'image', 'image/jpeg'],
    ['png', 'image', 'image/png'],
    ['apng', 'image', 'image/png'],
    ['gif', 'image', 'image/gif'],
    ['webp', 'image', 'image/webp'],
    ['mp4', 'video', 'video/mp4'],
    ['webm', 'video', 'video/webm'],
    ['mov', 'video', 'video/quicktime'],
    ['mp3', 'voice', 'audio/mpeg'],
    ['wav', 'voice', 'audio/wav'],
    ['opus', 'voice', 'audio/ogg'],
    ['m4a', 'voice', 'audio/mp4'],
  ])('accepts %s as %s (%s)', (ext, kind, contentType) => expect(acceptedType(ext)).toMatchObject({ kind, contentType }));

  it.each([undefined, 'html', 'svg', 'pdf', 'exe', 'zip', 'avif', 'toString', '__proto__'])('refuses %s', (ext) => expect(acceptedType(ext)).toBeNull());

  it('has the contract limits, and serves a stored name by its extension', () => {
    expect(maxBytesOf).toEqual({ image: 10 * 1024 * 1024, video: 100 * 1024 * 1024, voice: 25 * 1024 * 1024 });
    expect(maxUploadBytes).toBe(100 * 1024 * 1024);
    expect(contentTypeOfExt('mov')).toBe('video/quicktime');
    expect(contentTypeOfExt('html')).toBeNull();
  });
});
