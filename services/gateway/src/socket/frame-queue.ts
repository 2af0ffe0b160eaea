import type { Logger } from 'pino';
import { outsideUws } from '../transport/outside-uws.js';
import { sendFrame, type Socket } from './socket-data.js';

/**
 * Frames of one socket waiting for their turn, at most: above a whole signalling burst (100), so
 * only a client sending faster than its frames can be judged is refused here, before its frames
 * pile up in memory.
 */
export const MAX_PENDING_FRAMES = 128;

/** A client frame handled off the uWS callback, and the frames that answer it when it cannot be. */
export interface QueuedFrame {
  run: () => Promise<void>;
  /** The answer when MAX_PENDING_FRAMES of this socket's frames are already waiting. */
  full: () => unknown;
  /** The answer when `run` threw (logged). */
  failed: (err: unknown) => unknown;
}

/**
 * Handles a socket's frames that wait for NATS (live frames, sends over the socket) one after the
 * other, as they came: a signal must not overtake the one before it, nor a message the one sent
 * before it (the receivers get them in the order sent). Called in the uWS message callback; the
 * task runs outside it.
 */
export function inOrder(ws: Socket, log: Logger, frame: QueuedFrame): void {
  const data = ws.getUserData();
  if (data.framesPending >= MAX_PENDING_FRAMES) return void ws.send(JSON.stringify(frame.full()), false);
  data.framesPending++;
  outsideUws(() => {
    const run = () =>
      frame
        .run()
        .catch((err: unknown) => {
          log.warn({ err, socketId: data.id }, 'socket frame failed');
          sendFrame(ws, frame.failed(err));
        })
        .finally(() => {
          if (--data.framesPending === 0) data.framesTail = null;
        });
    data.framesTail = data.framesTail ? data.framesTail.then(run) : run();
  });
}
