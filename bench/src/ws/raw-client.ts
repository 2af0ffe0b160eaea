import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { FrameReader, clientFrame, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, type FrameHandler } from './frames.js';

export interface RawWsOptions {
  host: string;
  port: number;
  /** Path and query, e.g. `/api/v1/ws?token=...`. */
  path: string;
  localAddress?: string | undefined;
  timeoutMs?: number;
}

export interface RawWs {
  socket: Socket;
  sendText(text: string): void;
  close(): void;
}

export class UpgradeError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * A lean WebSocket client over node:net: the HTTP upgrade by hand, then frame headers only.
 * Pings are answered; text frames go to `onText`; `onClose` runs once when the socket ends.
 */
export function openRawWs(
  opts: RawWsOptions,
  onText: FrameHandler,
  /** The close code from the server's close frame; 1006 with the socket error code when none came. */
  onClose: (code: number | string) => void,
): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port, localAddress: opts.localAddress, noDelay: true });
    let head: Buffer | null = Buffer.alloc(0);
    let settled = false;
    let closeCode: number | string = 1006;
    const timer = setTimeout(() => fail(new Error('upgrade timeout')), opts.timeoutMs ?? 15_000);

    const ws: RawWs = {
      socket,
      sendText: (text) => socket.write(clientFrame(OP_TEXT, Buffer.from(text))),
      close: () => {
        if (!socket.destroyed) socket.end(clientFrame(OP_CLOSE, Buffer.from([0x03, 0xe8])));
        setTimeout(() => socket.destroy(), 1000).unref();
      },
    };

    const reader = new FrameReader((op, buf, start, end) => {
      if (op === OP_TEXT || op === 2) onText(op, buf, start, end);
      else if (op === OP_PING) socket.write(clientFrame(OP_PONG, buf.subarray(start, end)));
      else if (op === OP_CLOSE) {
        closeCode = end - start >= 2 ? buf.readUInt16BE(start) : 1005;
        socket.end();
      }
    });

    function fail(err: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    }

    socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET ${opts.path} HTTP/1.1\r\nHost: ${opts.host}:${opts.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (head === null) return reader.push(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const status = Number(statusLine.split(' ')[1]);
      const rest = head.subarray(end + 4);
      head = null;
      if (status !== 101) return fail(new UpgradeError(status, `upgrade refused: ${statusLine}`));
      settled = true;
      clearTimeout(timer);
      resolve(ws);
      if (rest.length) reader.push(rest);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (closeCode === 1006) closeCode = `1006 ${err.code ?? err.message}`;
      fail(err);
    });
    socket.on('end', () => {
      if (closeCode === 1006) closeCode = '1006 fin';
    });
    socket.on('close', () => {
      if (!settled) fail(new Error('closed during upgrade'));
      else onClose(closeCode);
    });
  });
}
