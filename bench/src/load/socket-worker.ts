/**
 * A load-generator process: opens many sockets, counts the frames they receive and records the
 * latency from the timestamp each frame carries. Driven by the parent over IPC (protocol.ts).
 */
import { Histogram } from '../histogram.js';
import { nowUs } from '../clock.js';
import { cpuMs } from '../proc.js';
import { readStamp } from '../ws/frames.js';
import { openRawWs, UpgradeError, type RawWs } from '../ws/raw-client.js';
import type { OpenResult, WorkerCommand, WorkerReply, WorkerReport } from './protocol.js';

const hist = new Histogram();
let frames = 0;
let stamped = 0;
let bytes = 0;
/** Cumulative since the worker started, not reset between steps. */
const closed: Record<string, number> = {};
const sockets = new Set<RawWs>();

function send(msg: WorkerReply) {
  process.send!(msg);
}

function onWsText(_op: number, buf: Buffer, start: number, end: number) {
  frames++;
  bytes += end - start;
  const ts = readStamp(buf, start, end);
  if (ts >= 0) {
    stamped++;
    hist.record(nowUs() - ts);
  }
}

async function open(cmd: Extract<WorkerCommand, { t: 'open' }>): Promise<OpenResult> {
  const t0 = Date.now();
  let ok = 0;
  let failed = 0;
  const errors: Record<string, number> = {};
  let next = 0;
  const one = async (i: number) => {
    const path = cmd.paths[i]!;
    const localAddress = cmd.localAddresses[i % cmd.localAddresses.length];
    try {
      const ws = cmd.protocol === 'ws' ? await openWs(cmd.host, cmd.port, path, localAddress) : await openEio(cmd.host, cmd.port, path, localAddress);
      sockets.add(ws);
      ok++;
    } catch (err) {
      failed++;
      const key = err instanceof UpgradeError ? `http ${err.status}` : (err as Error).message;
      errors[key] = (errors[key] ?? 0) + 1;
    }
  };
  const lanes = Array.from({ length: Math.min(cmd.concurrency, cmd.paths.length) }, async () => {
    while (next < cmd.paths.length) await one(next++);
  });
  await Promise.all(lanes);
  return { t: 'opened', ok, failed, errors, ms: Date.now() - t0 };
}

function onClose(this: void, code: number | string) {
  closed[code] = (closed[code] ?? 0) + 1;
}

function openWs(host: string, port: number, path: string, localAddress: string | undefined): Promise<RawWs> {
  let self: RawWs | undefined;
  return openRawWs({ host, port, path, localAddress }, onWsText, (code) => {
    if (!self) return;
    sockets.delete(self);
    onClose(code);
  }).then((ws) => (self = ws));
}

/** Engine.IO v4: `0{...}` open -> we send `40`; `40{...}` connected; `2` ping -> `3`; `42[...]` events. */
function openEio(host: string, port: number, path: string, localAddress: string | undefined): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    let ws: RawWs | undefined;
    let connected = false;
    const timer = setTimeout(() => reject(new Error('socket.io connect timeout')), 15_000);
    openRawWs(
      { host, port, path, localAddress },
      (op, buf, start, end) => {
        const c0 = buf[start];
        if (c0 === 0x34 /* 4 */ && buf[start + 1] === 0x32 /* 2 */) return onWsText(op, buf, start, end);
        if (c0 === 0x32 /* 2 ping */) return ws?.sendText('3');
        if (c0 === 0x30 /* 0 open */) return ws ? ws.sendText('40') : queueMicrotask(() => ws?.sendText('40'));
        if (c0 === 0x34 && buf[start + 1] === 0x30 && !connected) {
          connected = true;
          clearTimeout(timer);
          resolve(ws!);
        }
      },
      (code) => {
        if (ws) sockets.delete(ws);
        if (!connected) reject(new Error(`socket.io closed before connect (${code})`));
        else onClose(code);
      },
    ).then((w) => (ws = w), reject);
  });
}

function report(): WorkerReport {
  return { t: 'report', frames, stamped, bytes, closed, open: sockets.size, hist: hist.toJSON(), cpuMs: cpuMs(process.pid) };
}

process.on('message', (cmd: WorkerCommand) => {
  switch (cmd.t) {
    case 'open':
      void open(cmd).then(send);
      break;
    case 'reset':
      hist.reset();
      frames = stamped = bytes = 0;
      send({ t: 'reset-ok' });
      break;
    case 'report':
      send(report());
      break;
    case 'close':
      for (const ws of sockets) ws.close();
      sockets.clear();
      send({ t: 'closed' });
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
