import type { ClientFrame, ClientFrameOf, ClientFrameType } from '@chatroulette/contracts';
import type { Socket } from './socket-data.js';

/** One handler per client frame type of libs/contracts `clientFrames`: a new type is one more entry. */
export type FrameTable = { [T in ClientFrameType]: (ws: Socket, frame: ClientFrameOf<T>) => void };

/** Hands a parsed frame of an admitted socket to its type's handler (inside the uWS message callback). */
export function dispatchFrame(table: FrameTable, ws: Socket, frame: ClientFrame): void {
  (table[frame.type] as (ws: Socket, frame: ClientFrame) => void)(ws, frame);
}
