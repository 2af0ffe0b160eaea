import WebSocket from 'ws';
import { noteFrame } from './conformance/recorder.js';

/** A frame that came as binary (the gateway never sends one): kept so a test can see it did. */
export interface BinaryFrame {
  binary: true;
  bytes: Buffer;
}

export interface SocketClose {
  code: number;
  reason: string;
}

/** One WebSocket to the gateway: every frame it gets, parsed as JSON, with ways to wait for them. */
export interface SocketClient {
  readonly ws: WebSocket;
  /** Every frame received, in arrival order. */
  readonly frames: any[];
  /** Resolves once the socket has closed. */
  readonly closed: Promise<SocketClose>;
  /** The close code once closed. */
  readonly closedCode: number | undefined;
  /** Resolves with the first frame matching `pred` after the last one `next` returned (past or future). */
  next(pred?: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Waits until `count` frames of all received match `pred`, then returns them all. */
  waitFor(pred: (f: any) => boolean, count?: number, timeoutMs?: number): Promise<any[]>;
  ofType(type: string): any[];
  /** Sends an object as JSON, a string as is (a Buffer as a binary frame). */
  send(frame: unknown): void;
  close(code?: number): void;
  /** Closes (if open) and resolves once closed. */
  closeAndWait(): Promise<SocketClose>;
}

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused: ${status} ${body.slice(0, 200)}`);
  }
}

export interface OpenSocketOptions {
  protocols?: string | string[];
  headers?: Record<string, string>;
  /** Why this socket's frames are not checked against the AsyncAPI document (e.g. it gets frames a test forged). */
  unchecked?: string;
}

/**
 * The socket URL: a gateway's http(s) base gets /api/v1/ws; a ws(s) URL is taken as it is. `query`
 * values that are undefined are left out.
 */
export function socketUrl(target: string, query: Record<string, string | number | undefined> = {}): string {
  const base = /^wss?:/.test(target) ? target : `${target.replace(/^http/, 'ws')}/api/v1/ws`;
  const given = Object.entries(query).filter(([, v]) => v !== undefined) as [string, string | number][];
  // Untouched when there is nothing to add: a test's hand-written query (repeated keys, odd encodings) goes as it is.
  if (given.length === 0) return base;
  const url = new URL(base);
  for (const [k, v] of given) url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * Opens one socket, once (no second attempt whatever happens right after): resolves when it is
 * open, rejects with UpgradeRefused (status and body) when the gateway refuses the upgrade.
 */
export function openSocket(target: string, query: Record<string, string | number | undefined> = {}, opts: OpenSocketOptions = {}): Promise<SocketClient> {
  const ws = new WebSocket(socketUrl(target, query), opts.protocols, { headers: opts.headers });
  const client = watch(ws, opts.unchecked === undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        reject(new UpgradeRefused(res.statusCode ?? 0, body));
        ws.terminate();
      });
    });
    ws.once('error', reject);
  });
}

function watch(ws: WebSocket, checked: boolean): SocketClient {
  const frames: any[] = [];
  let waiters: (() => boolean)[] = [];
  let closedCode: number | undefined;
  let notes = '';
  let seen = 0;
  const wake = () => (waiters = waiters.filter((done) => !done()));
  ws.on('message', (data, isBinary) => {
    const frame = isBinary ? ({ binary: true, bytes: data as Buffer } satisfies BinaryFrame) : JSON.parse(String(data));
    if (checked && !isBinary) noteFrame(frame);
    frames.push(frame);
    wake();
  });
  ws.on('error', (e) => (notes += ` (error ${e.message})`));
  const closed = new Promise<SocketClose>((resolve) =>
    ws.on('close', (code, reason) => {
      closedCode = code;
      notes += ` (closed ${code} ${String(reason)})`;
      resolve({ code, reason: String(reason) });
      wake();
    }),
  );
  const state = () => `; last frames ${JSON.stringify(frames.slice(-5))}${notes || ' (open)'}`;

  /** Resolves once `found()` returns something; rejects after `timeoutMs` with `what`. */
  const until = <T>(found: () => T | undefined, what: () => string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const now = found();
      if (now !== undefined) return resolve(now);
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== check);
        reject(new Error(`${what()} within ${timeoutMs} ms${state()}`));
      }, timeoutMs);
      const check = () => {
        const value = found();
        if (value === undefined) return false;
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      waiters.push(check);
    });

  const client: SocketClient = {
    ws,
    frames,
    closed,
    get closedCode() {
      return closedCode;
    },
    next(pred = () => true, timeoutMs = 10_000) {
      const find = () => {
        const i = frames.findIndex((f, j) => j >= seen && pred(f));
        if (i < 0) return undefined;
        seen = i + 1;
        return { frame: frames[i] };
      };
      return until(find, () => 'no matching frame', timeoutMs).then((x) => x.frame);
    },
    waitFor(pred, count = 1, timeoutMs = 10_000) {
      const matching = () => {
        const all = frames.filter(pred);
        return all.length >= count ? all : undefined;
      };
      return until(matching, () => `not ${count} matching frames (have ${frames.filter(pred).length})`, timeoutMs);
    },
    ofType: (type) => frames.filter((f) => f.type === type),
    send(frame) {
      if (Buffer.isBuffer(frame)) ws.send(frame, { binary: true });
      else ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    close(code) {
      ws.close(code);
    },
    async closeAndWait() {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      return closed;
    },
  };
  return client;
}

/** The upgrade's outcome: 101 (then closed) or the refusal's status and JSON body, as a ws client sees it. */
export async function upgradeOutcome(target: string, query: Record<string, string | undefined> = {}, opts: OpenSocketOptions = {}): Promise<{ status: number; body?: any }> {
  try {
    const client = await openSocket(target, query, opts);
    client.ws.close();
    return { status: 101 };
  } catch (e) {
    if (!(e instanceof UpgradeRefused)) throw e;
    return { status: e.status, body: e.body ? JSON.parse(e.body) : undefined };
  }
}

/** The refused upgrade's status and JSON body; rejects when the upgrade is accepted. */
export async function refusedUpgrade(target: string, query: Record<string, string | undefined> = {}, opts: OpenSocketOptions = {}): Promise<{ status: number; body: any }> {
  const outcome = await upgradeOutcome(target, query, opts);
  if (outcome.status === 101) throw new Error('the upgrade was accepted');
  return { status: outcome.status, body: outcome.body };
}
