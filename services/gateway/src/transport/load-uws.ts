import { createRequire } from 'node:module';
import path from 'node:path';

type Uws = typeof import('uWebSockets.js');

const require = createRequire(import.meta.url);

/**
 * `uWebSockets.js` (the trufflesuite build) silently falls back to a slow pure-JS server when its
 * native binary does not load. We load the package as usual, then require the binary for this
 * platform directly: when both are the same object (Node's module cache), the native build runs.
 */
function load(): { uws: Uws; native: boolean; binary: string } {
  const entry = require.resolve('uWebSockets.js');
  const binary = path.join(
    path.dirname(entry),
    '..',
    'binaries',
    `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
  );
  const uws = require('uWebSockets.js') as Uws;
  let native = false;
  try {
    native = require(binary) === uws;
  } catch {
    native = false;
  }
  return { uws, native, binary };
}

const loaded = load();

export const uws: Uws = loaded.uws;
/** True when the native uWebSockets binary runs; false on the pure-JS fallback. */
export const uwsNative: boolean = loaded.native;
const uwsBinary: string = loaded.binary;
export const uwsBuild = { uws: uwsNative ? 'native' : 'fallback', binary: uwsBinary } as const;

export type {
  HttpRequest,
  HttpResponse,
  TemplatedApp,
  WebSocket,
  us_listen_socket,
  us_socket_context_t,
} from 'uWebSockets.js';
