import WebSocket from 'ws';
import { openPastUpgradeDrop } from '@chatroulette/testing';

/** A socket that records every frame it receives, with helpers to wait for frames. */
export class FrameLog {
  readonly frames: any[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  closed: { code: number; reason: string } | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  private wake() {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  /** Waits until `count` frames match `pred` (bounded), then returns them. */
  async waitFor(pred: (f: any) => boolean, count = 1, timeoutMs = 10_000): Promise<any[]> {
    const matching = () => this.frames.filter(pred);
    if (matching().length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `timed out waiting for ${count} frames; have ${matching().length}: ${JSON.stringify(this.frames.slice(-5))}` +
                  (this.closed ? `; the socket closed with ${this.closed.code} ${this.closed.reason}` : '; the socket is open'),
              ),
            ),
          timeoutMs,
        );
        this.waiters.push({ check: () => matching().length >= count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return matching();
  }

  ofType(type: string) {
    return this.frames.filter((f) => f.type === type);
  }

  close() {
    this.ws.close();
  }
}

/** Opens a socket to the gateway; rejects with the HTTP status when the upgrade is refused. */
export function openSocket(gatewayPort: number, query: Record<string, string | undefined>): Promise<FrameLog> {
  return openPastUpgradeDrop(
    () => openOnce(gatewayPort, query),
    (log) => log.closed?.code === 1006 && log.frames.length === 0,
  );
}

function openOnce(gatewayPort: number, query: Record<string, string | undefined>): Promise<FrameLog> {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
  const ws = new WebSocket(`ws://127.0.0.1:${gatewayPort}/api/v1/ws?${qs}`);
  const log = new FrameLog(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(log));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}
