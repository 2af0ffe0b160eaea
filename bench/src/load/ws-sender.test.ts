import { describe, expect, it } from 'vitest';
import { serverFrames } from '@chatroulette/contracts';
import { answerOf } from './ws-sender.js';

/** The frame as the gateway writes it, inside a larger buffer (as a frame is a slice of a chunk). */
function framed(frame: unknown) {
  const text = JSON.stringify(frame);
  const buf = Buffer.from(`xx${text}yy`);
  return [buf, 2, 2 + text.length] as const;
}

describe('answerOf', () => {
  it('reads an ack and the send time its ref carries', () => {
    expect(answerOf(...framed(serverFrames.ack('1234567', { id: 'm', content: 'bt:99; hi' })))).toEqual({ status: 'ack', ok: true, startUs: 1234567 });
  });

  it('reads a refusal as its status', () => {
    expect(answerOf(...framed(serverFrames.refused('42', 'too_many_requests', 'slow down', 429)))).toEqual({ status: '429', ok: false, startUs: 42 });
  });

  it('ignores the chat events the sender socket receives too', () => {
    expect(answerOf(...framed({ type: 'new_message', chat_id: 'c', seq: 1, payload: { content: 'bt:5;', ref: '7' } }))).toBeNull();
  });
});
