import type { Logger } from 'pino';
import { liveErrorCodes, liveFrames } from '@chatroulette/contracts';
import { outsideUws } from '../transport/outside-uws.js';
import { sendFrame, type Socket } from '../socket/socket-data.js';

/**
 * Handles a socket's live frames one after the other, as they came: a budget or a membership check
 * waits for NATS, and a signal must not overtake the one before it (the receivers get them in the
 * order sent). Leaves the uWS callback first; a task that throws gets an error frame.
 */
export function inOrder(ws: Socket, log: Logger, task: () => Promise<void>): void {
  outsideUws(() => {
    const data = ws.getUserData();
    const run = () =>
      task().catch((err: unknown) => {
        log.warn({ err, socketId: data.id }, 'live frame failed');
        sendFrame(ws, liveFrames.error(liveErrorCodes.unavailable, 'The frame could not be handled; try again', null));
      });
    const tail = data.liveTail ? data.liveTail.then(run) : run();
    data.liveTail = tail;
    void tail.then(() => {
      if (data.liveTail === tail) data.liveTail = null;
    });
  });
}
