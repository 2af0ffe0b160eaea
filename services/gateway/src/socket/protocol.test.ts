import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './protocol.js';

const buf = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('parseClientFrame', () => {
  it('reads ping and auth', () => {
    expect(parseClientFrame(buf('{"type":"ping"}'), false)).toEqual({ ok: true, frame: { type: 'ping' } });
    expect(parseClientFrame(buf('{"type":"auth","token":"t"}'), false)).toEqual({ ok: true, frame: { type: 'auth', token: 't' } });
  });

  it.each([
    ['not json', false, 'invalid_json'],
    ['{"type":"dance"}', false, 'unknown_type'],
    ['{"type":"auth"}', false, 'invalid_frame'],
    ['[]', false, 'invalid_frame'],
    ['null', false, 'invalid_frame'],
    ['{"type":"ping"}', true, 'binary_not_supported'],
  ])('%s (binary %s) -> %s', (text, binary, code) => {
    expect(parseClientFrame(buf(text), binary)).toMatchObject({ ok: false, code });
  });
});
