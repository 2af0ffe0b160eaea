import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { leaveUws } from '../transport/outside-uws.js';
import { SocketData, type Socket } from './socket-data.js';
import { inOrder, MAX_PENDING_FRAMES, type QueuedFrame } from './frame-queue.js';

const answers = { full: () => ({ type: 'error', payload: { code: 'full' } }), failed: () => ({ type: 'error', payload: { code: 'failed' } }) };
const queued = (run: QueuedFrame['run']): QueuedFrame => ({ run, ...answers });

const log = pino({ level: 'silent' });

/** A socket that records what is sent to it. */
function fakeSocket() {
  const data = new SocketData('open', 'u1', 0, null, null, 1);
  const sent: any[] = [];
  const ws = { getUserData: () => data, send: (text: string) => sent.push(JSON.parse(text)), cork: (f: () => void) => f() } as unknown as Socket;
  return { ws, data, sent };
}

describe('inOrder', () => {
  it('runs one socket’s tasks one at a time, in the order they came', async () => {
    const { ws, data } = fakeSocket();
    const log_: string[] = [];
    const gates: (() => void)[] = [];
    for (const n of [1, 2, 3]) {
      inOrder(
        ws,
        log,
        queued(async () => {
          log_.push(`start ${n}`);
          await new Promise<void>((r) => gates.push(r));
          log_.push(`end ${n}`);
        }),
      );
    }
    await leaveUws();
    expect(log_).toEqual(['start 1']);
    for (let i = 0; i < 3; i++) {
      gates[i]!();
      await new Promise((r) => setImmediate(r));
    }
    expect(log_).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(data.framesPending).toBe(0);
    expect(data.framesTail).toBeNull();
  });

  it(`answers at once past ${MAX_PENDING_FRAMES} waiting, and answers a task that throws`, async () => {
    const { ws, data, sent } = fakeSocket();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    for (let i = 0; i < MAX_PENDING_FRAMES; i++) inOrder(ws, log, queued(() => gate));
    expect(sent).toEqual([]);
    inOrder(ws, log, queued(() => gate));
    expect(sent).toEqual([{ type: 'error', payload: { code: 'full' } }]);
    expect(data.framesPending).toBe(MAX_PENDING_FRAMES);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(data.framesPending).toBe(0);
    inOrder(
      ws,
      log,
      queued(async () => {
        throw new Error('boom');
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.at(-1)).toEqual({ type: 'error', payload: { code: 'failed' } });
  });
});
