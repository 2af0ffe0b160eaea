/** The part of a WebSocket the client uses: the browser's, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers and Node 22, `WebSocket` of the `ws` package on Node 20. */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => unknown;

export const OPEN = 1;

/**
 * The class to use: the one given, else the global one, else the `ws` package (an optional peer
 * dependency, loaded only where there is no global WebSocket: the specifier is not a literal, so
 * bundlers for browsers do not pull it in).
 */
export async function webSocketClass(given: WebSocketClass | undefined): Promise<new (url: string, protocols?: string | string[]) => WebSocketLike> {
  const found = given ?? (globalThis as { WebSocket?: WebSocketClass }).WebSocket ?? (await loadWs());
  return found as new (url: string, protocols?: string | string[]) => WebSocketLike;
}

async function loadWs(): Promise<WebSocketClass> {
  const name = 'ws';
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { WebSocket?: WebSocketClass; default?: WebSocketClass };
    const found = mod.WebSocket ?? mod.default;
    if (found) return found;
  } catch {
    // Reported below.
  }
  throw new Error('No WebSocket here: install the "ws" package (Node 20), or pass createClient({ WebSocket })');
}

/** The frame of a message event: a JSON object with a string `type`, else null (the gateway sends text frames only). */
export function readFrame<T extends { type: string }>(data: unknown): T | null {
  if (typeof data !== 'string') return null;
  try {
    const frame = JSON.parse(data) as unknown;
    return typeof frame === 'object' && frame !== null && typeof (frame as { type?: unknown }).type === 'string' ? (frame as T) : null;
  } catch {
    return null;
  }
}
