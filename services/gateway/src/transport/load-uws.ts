import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError } from '@chatroulette/config';

type Uws = typeof import('uWebSockets.js');

const require = createRequire(import.meta.url);

/**
 * `uWebSockets.js` (the trufflesuite build) silently falls back to a slow pure-JS server when its
 * native binary does not load. We require the binary for this platform directly, then the package:
 * when both are the same object (Node's module cache), the native build runs. The binary is looked
 * for in `binaries/` (trufflesuite) and beside the entry file (uNetworking and @btc-vision builds,
 * which throw instead of falling back: then `uws` stays unset and requireNativeUws says why).
 */
function load(): { uws: Uws; native: boolean; binary: string; why?: string } {
  const entry = require.resolve('uWebSockets.js');
  const file = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
  const candidates = [path.join(path.dirname(entry), '..', 'binaries', file), path.join(path.dirname(entry), file)];
  const binary = candidates.find((f) => existsSync(f)) ?? candidates[0]!;
  let direct: unknown;
  let why: string | undefined;
  try {
    direct = require(binary);
  } catch (e) {
    // Node's message goes on with a require stack over several lines; the first says it all.
    why = String((e as Error).message).split('\n')[0];
  }
  let uws: Uws;
  try {
    uws = direct && !process.env.UWS_USE_FALLBACK ? (require('uWebSockets.js') as Uws) : quietly(() => require('uWebSockets.js') as Uws);
  } catch {
    uws = undefined as unknown as Uws;
  }
  if (uws && uws === direct) return { uws, native: true, binary };
  return { uws, native: false, binary, why: why ?? 'UWS_USE_FALLBACK is set' };
}

/** The package prints a warning of several lines on its way to the fallback; requireNativeUws says it in one. */
function quietly<T>(fn: () => T): T {
  const { log, warn } = console;
  console.log = console.warn = () => undefined;
  try {
    return fn();
  } finally {
    Object.assign(console, { log, warn });
  }
}

const loaded = load();

export const uws: Uws = loaded.uws;
/** True when the native uWebSockets binary runs; false on the pure-JS fallback. */
export const uwsNative: boolean = loaded.native;
const uwsBinary: string = loaded.binary;
export const uwsBuild = { uws: uwsNative ? 'native' : 'fallback', binary: uwsBinary } as const;

/**
 * Throws (a ConfigError: runService prints it as one line and exits 1) when the pure-JS fallback
 * runs: a stand-in built on `ws` ("performance may be degraded", says the package) that the gateway
 * was neither measured nor tested on, which would pass a smoke test and not the load. The line names
 * what to change: Node's ABI, the platform and the binary that did not load.
 */
export function requireNativeUws(): void {
  if (uwsNative) return;
  throw new ConfigError(
    `uWebSockets.js has no native build loaded (the pure-JS fallback is refused) for Node ${process.version} ` +
      `(ABI ${process.versions.modules}) on ${platformName()}: ${uwsBinary} (${loaded.why}). ` +
      (process.env.UWS_USE_FALLBACK ? 'Unset UWS_USE_FALLBACK' : 'Supported: package.json engines; README "Node versions and uWebSockets.js"'),
  );
}

/** linux-x64 glibc 2.36, or darwin-arm64: what decides which prebuilt binary can load. */
function platformName(): string {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = header?.glibcVersionRuntime;
  return `${process.platform}-${process.arch}${glibc ? ` glibc ${glibc}` : process.platform === 'linux' ? ' (musl or no glibc)' : ''}`;
}

export type {
  HttpRequest,
  HttpResponse,
  TemplatedApp,
  WebSocket,
  us_listen_socket,
  us_socket_context_t,
} from 'uWebSockets.js';
