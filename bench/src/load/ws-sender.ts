import { mapLimit } from '../fixtures.js';
import { openRawWs, UpgradeError, type RawWs } from '../ws/raw-client.js';
import type { Sender, SenderAnswer, SenderChat } from './sender.js';

/** The gateway writes `type` then `ref` first (libs/contracts serverFrames): prefixes, no parse. */
const ACK = Buffer.from('{"type":"ack","ref":"');
const ERROR = Buffer.from('{"type":"error","ref":"');
const STATUS = Buffer.from('"status":');

function startsWith(prefix: Buffer, buf: Buffer, start: number, end: number): boolean {
  return end - start >= prefix.length && prefix.compare(buf, start, start + prefix.length) === 0;
}

function digitsAt(buf: Buffer, at: number, end: number): number {
  let v = 0;
  for (let i = at; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * The answer a frame carries: `ack` (ok) or an error frame's status, and the send time its `ref`
 * holds; null for any other frame (the chat's own events).
 */
export function answerOf(buf: Buffer, start: number, end: number): { status: string; ok: boolean; startUs: number } | null {
  if (startsWith(ACK, buf, start, end)) return { status: 'ack', ok: true, startUs: digitsAt(buf, start + ACK.length, end) };
  if (!startsWith(ERROR, buf, start, end)) return null;
  const s = buf.indexOf(STATUS, start);
  const status = s >= 0 && s < end ? String(digitsAt(buf, s + STATUS.length, end)) : 'error';
  return { status, ok: false, startUs: digitsAt(buf, start + ERROR.length, end) };
}

/**
 * Sends `send_message` frames over one socket per chat, opened as the sending participant with
 * `chat_id`; each frame's `ref` is its send time, so an answer (`ack`, or an error frame with the
 * status the REST route would have answered) says which send it ends without a table. The chat's
 * own new_message, which this socket receives too, is ignored: the other participant's socket
 * measures delivery.
 */
export async function wsSender(host: string, port: number, chats: SenderChat[], answer: SenderAnswer, onClose: (code: number | string) => void) {
  const sockets: (RawWs | null)[] = chats.map(() => null);
  const failures: Record<string, number> = {};
  let closing = false;
  await mapLimit(chats, 50, async (c, i) => {
    try {
      sockets[i] = await openRawWs(
        { host, port, path: `/api/v1/ws?token=${c.token}&chat_id=${c.id}` },
        (_op, buf, start, end) => {
          const a = answerOf(buf, start, end);
          if (a) answer(a.status, a.ok, a.startUs);
        },
        (code) => {
          sockets[i] = null;
          if (!closing) onClose(code);
        },
      );
    } catch (err) {
      const key = err instanceof UpgradeError ? `http ${err.status}` : (err as Error).message;
      failures[key] = (failures[key] ?? 0) + 1;
    }
  });
  const sender: Sender = {
    send(chat, startUs) {
      const ws = sockets[chat];
      // A socket that closed is not reopened: its sends fail, as the close is counted.
      if (!ws) return answer('socket closed', false, startUs);
      ws.sendText(`{"type":"send_message","ref":"${startUs}","payload":{"type":"text","content":"bt:${startUs}; hello from the bench"}}`);
    },
    close() {
      closing = true;
      for (const ws of sockets) ws?.close();
    },
  };
  return { sender, failures };
}
