import type { Logger } from 'pino';
import { liveErrorCodes, liveFrames } from '@chatroulette/contracts';
import { outsideUws } from '../transport/outside-uws.js';
import { sendFrame, type Socket } from '../socket/socket-data.js';

/**
 * Live frames of one socket waiting for their turn, at most: above a whole signalling burst (100),
 * so only a client sending faster than its frames can be judged is refused here, before its frames
 * pile up in memory.
 */
export const MAX_PENDING_LIVE_FRAMES = 128;

/**
 * Handles a socket's live frames one after the other, as they came: a budget or a membership check
 * waits for NATS, and a signal must not overtake the one before it (the receivers get them in the
 * order sent). Called in the uWS message callback; the task runs outside it. A task that throws
 * gets an error frame.
 */
export function inOrder(ws: Socket, log: Logger, task: () => Promise<void>): void {
  const data = ws.getUserData();
  if (data.livePending >= MAX_PENDING_LIVE_FRAMES) {
    const error = liveFrames.error(liveErrorCodes.tooManyRequests, 'Too many frames waiting; slow down', null);
    return void ws.send(JSON.stringify(error), false);
  }
  data.livePending++;
  outsideUws(() => {
    const run = () =>
      task()
        .catch((err: unknown) => {
          log.warn({ err, socketId: data.id }, 'live frame failed');
          sendFrame(ws, liveFrames.error(liveErrorCodes.unavailable, 'The frame could not be handled; try again', null));
        })
        .finally(() => {
          if (--data.livePending === 0) data.liveTail = null;
        });
    data.liveTail = data.liveTail ? data.liveTail.then(run) : run();
  });
}
