import { sleep } from './wait-until.js';

/**
 * Opens a socket to the gateway with `open`, as a real client would: the uWebSockets.js build that
 * runs on Node 20 sometimes closes a socket right after an asynchronous upgrade (its cork() misreads
 * the upgraded socket: uWebSockets.js issue 1108, fixed upstream after this build; see
 * services/gateway/README.md). A socket that `droppedAtOnce` says is closed with 1006 before any
 * frame, 20 ms after it opened, is opened again, at most twice, with a warning line.
 */
export async function openPastUpgradeDrop<T>(open: () => Promise<T>, droppedAtOnce: (socket: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const socket = await open();
    await sleep(20);
    if (!droppedAtOnce(socket) || attempt === 2) return socket;
    console.warn(`gateway dropped a socket right after its upgrade (1006, uWS cork bug); reopening (${attempt + 1})`);
  }
}
