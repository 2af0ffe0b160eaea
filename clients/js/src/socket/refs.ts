import type { RefFrameType, SocketAckPayloads } from '@chatroulette/contracts';
import type { ApiError } from '../errors.js';

/**
 * The frame's answer will not come: the socket closed, the server does not serve the frame type, or
 * no answer came in time. The caller sends it over REST instead (with the same idempotency key).
 */
export class LostAck extends Error {
  override readonly name = 'LostAck';
}

interface Pending {
  type: RefFrameType;
  resolve: (payload: never) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Frames sent with a `ref`, waiting for their `ack` or error frame: exactly one answer each. */
export class PendingRefs {
  private counter = 0;
  private readonly pending = new Map<string, Pending>();
  /** Refs are unique per client run; a random prefix keeps those of two tabs of one user apart in logs. */
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  open<T extends RefFrameType>(type: T, timeoutMs: number): { ref: string; answer: Promise<SocketAckPayloads[T]> } {
    const ref = `${this.prefix}-${++this.counter}`;
    const answer = new Promise<SocketAckPayloads[T]>((resolve, reject) => {
      const timer = setTimeout(() => this.lose(ref, 'no answer in time'), timeoutMs);
      this.pending.set(ref, { type, resolve: resolve as (p: never) => void, reject, timer });
    });
    return { ref, answer };
  }

  ack(ref: string, payload: unknown): void {
    this.take(ref)?.resolve(payload as never);
  }

  fail(ref: string, err: ApiError): void {
    this.take(ref)?.reject(err);
  }

  /** Every pending frame (of `type`) is lost. */
  loseAll(why: string, type?: RefFrameType): void {
    for (const [ref, p] of [...this.pending]) if (type === undefined || p.type === type) this.lose(ref, why);
  }

  private lose(ref: string, why: string): void {
    this.take(ref)?.reject(new LostAck(why));
  }

  private take(ref: string): Pending | undefined {
    const p = this.pending.get(ref);
    if (!p) return undefined;
    this.pending.delete(ref);
    clearTimeout(p.timer);
    return p;
  }
}
