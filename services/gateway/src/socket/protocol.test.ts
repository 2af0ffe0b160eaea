import { describe, expect, it } from 'vitest';
import { oversizedLiveFrame, parseClientFrame } from './protocol.js';

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

describe('parseClientFrame: live frames', () => {
  const chat = '0b6f4b4e-8a52-4c1e-9d0e-1f2a3b4c5d6e';
  it('reads typing (payload and chat_id optional) and rtc_signal', () => {
    expect(parseClientFrame(buf('{"type":"typing"}'), false)).toEqual({ ok: true, frame: { type: 'typing', payload: { is_typing: true } } });
    expect(parseClientFrame(buf(`{"type":"typing","chat_id":"${chat}","payload":{"is_typing":false}}`), false)).toEqual({
      ok: true,
      frame: { type: 'typing', chat_id: chat, payload: { is_typing: false } },
    });
    const signal = { type: 'rtc_signal', payload: { kind: 'offer', data: { sdp: 'v=0' } } };
    expect(parseClientFrame(buf(JSON.stringify(signal)), false)).toEqual({ ok: true, frame: signal });
  });

  it.each([
    ['{"type":"typing","chat_id":"nope"}', 'invalid_frame'],
    ['{"type":"typing","payload":{"is_typing":"yes"}}', 'invalid_frame'],
    ['{"type":"rtc_signal"}', 'invalid_frame'],
    ['{"type":"rtc_signal","payload":{"data":1}}', 'invalid_frame'],
  ])('%s -> %s', (text, code) => {
    expect(parseClientFrame(buf(text), false)).toMatchObject({ ok: false, code });
  });
});

describe('oversizedLiveFrame', () => {
  it('names the chat of a live frame, and nothing for any other frame', () => {
    const pad = 'x'.repeat(20_000);
    const chat = '0B6F4B4E-8A52-4C1E-9D0E-1F2A3B4C5D6E';
    expect(oversizedLiveFrame(buf(`{"type":"rtc_signal","chat_id":"${chat}","payload":{"kind":"offer","data":"${pad}"}}`), false)).toEqual({ chatId: chat.toLowerCase() });
    expect(oversizedLiveFrame(buf(`{"type":"rtc_signal","chat_id":"c1"}`), false)).toEqual({ chatId: null });
    expect(oversizedLiveFrame(buf(`{"type":"typing","pad":"${pad}"}`), false)).toEqual({ chatId: null });
    expect(oversizedLiveFrame(buf(`{"type":"ping","pad":"${pad}"}`), false)).toBeUndefined();
    expect(oversizedLiveFrame(buf(pad), false)).toBeUndefined();
    expect(oversizedLiveFrame(buf(`{"type":"rtc_signal"}`), true)).toBeUndefined();
  });
});
