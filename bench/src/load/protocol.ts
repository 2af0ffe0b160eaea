import type { HistogramJson } from '../histogram.js';

/** What the parent asks a socket worker to do. */
export type WorkerCommand =
  | {
      t: 'open';
      host: string;
      port: number;
      /** `ws`: plain WebSocket frames; `eio`: Engine.IO v4 over WebSocket (Socket.IO). */
      protocol: 'ws' | 'eio';
      paths: string[];
      localAddresses: string[];
      concurrency: number;
    }
  | { t: 'reset' }
  | { t: 'report' }
  | { t: 'close' };

export interface OpenResult {
  t: 'opened';
  ok: number;
  failed: number;
  /** Failure reasons (HTTP status or error message) and how often each happened. */
  errors: Record<string, number>;
  ms: number;
}

export interface WorkerReport {
  t: 'report';
  /** Event frames received (Engine.IO: `42` packets), with and without a bench timestamp. */
  frames: number;
  stamped: number;
  bytes: number;
  /** Sockets that closed after opening, by close code (cumulative). */
  closed: Record<string, number>;
  open: number;
  hist: HistogramJson;
  cpuMs: number;
}

export type WorkerReply = OpenResult | WorkerReport | { t: 'reset-ok' } | { t: 'closed' };
