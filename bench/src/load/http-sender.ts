import { connect, type Socket } from 'node:net';
import { ResponseScanner } from './http-scanner.js';
import type { Sender, SenderAnswer, SenderChat } from './sender.js';

interface Connection {
  socket: Socket | null;
  /** The send time of the request waiting for its answer; -1 when idle (one request at a time). */
  busySince: number;
}

/**
 * Posts over raw keep-alive HTTP/1.1 connections: the request written as one string, the answers
 * counted by their status lines (ResponseScanner), no response parsed. One request in flight per
 * connection; a request finding every connection busy waits in a queue (its latency includes the
 * wait, as a client's would).
 */
export function httpSender(host: string, port: number, chats: SenderChat[], connections: number, answer: SenderAnswer): Sender {
  const heads = chats.map(
    (c) =>
      `POST /api/v1/chats/${c.id}/messages HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: Bearer ${c.token}\r\n` +
      'Content-Type: application/json\r\nContent-Length: ',
  );
  const conns: Connection[] = Array.from({ length: connections }, () => ({ socket: null, busySince: -1 }));
  const waiting: { chat: number; startUs: number }[] = [];
  let closing = false;

  const write = (conn: Connection, chat: number, startUs: number) => {
    conn.busySince = startUs;
    const body = `{"type":"text","content":"bt:${startUs}; hello from the bench"}`;
    (conn.socket ?? open(conn)).write(`${heads[chat]}${body.length}\r\n\r\n${body}`);
  };

  const open = (conn: Connection): Socket => {
    const socket = connect({ host, port, noDelay: true });
    conn.socket = socket;
    const scanner = new ResponseScanner((status) => {
      const startUs = conn.busySince;
      conn.busySince = -1;
      answer(String(status), status === 201, startUs);
      const next = waiting.shift();
      if (next) write(conn, next.chat, next.startUs);
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        scanner.push(chunk);
      } catch (err) {
        socket.destroy(err as Error);
      }
    });
    let why = 'closed';
    socket.on('error', (err: NodeJS.ErrnoException) => {
      why = err.code ?? err.message;
    });
    socket.on('close', () => {
      if (conn.socket === socket) conn.socket = null;
      // A request in flight on a dropped connection is a failure; the next request opens a new one.
      if (conn.busySince >= 0) {
        const startUs = conn.busySince;
        conn.busySince = -1;
        answer(why, false, startUs);
        const next = closing ? undefined : waiting.shift();
        if (next) write(conn, next.chat, next.startUs);
      }
    });
    return socket;
  };

  return {
    send(chat, startUs) {
      const idle = conns.find((c) => c.busySince < 0);
      if (idle) write(idle, chat, startUs);
      else waiting.push({ chat, startUs });
    },
    close() {
      closing = true;
      for (const c of conns) c.socket?.destroy();
    },
  };
}
