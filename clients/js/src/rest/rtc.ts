import type { IceServersAnswer } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import type { Http } from '../http.js';

/** Video calls: the media goes browser to browser; the signals go over a socket (`rtcSignal`). */
export function rtcApi(http: Http) {
  return {
    /** GET /rtc/ice-servers: STUN and TURN for an RTCPeerConnection (TURN credentials expire after `ttl` s). */
    iceServers: () => http<IceServersAnswer>('GET', `${paths.rtc}/ice-servers`),
  };
}
