import type { Msg, MsgHdrs } from 'nats';
import { eventHeaders } from '@chatroulette/contracts';

/** What the broker reads from a chat event's NATS headers. */
export interface EventMeta {
  /** Chat-Seq: null when absent or empty, NaN when not a whole number of 1 to 15 digits. */
  seq: number | null;
  /** Msg-Author and Msg-Id of a new_message (delivery receipts); undefined when absent or empty. */
  author: string | undefined;
  messageId: string | undefined;
}

/** nats.js 2.x keeps the raw bytes of a message and the length of its header block (-1: none). */
interface RawMsg {
  _rdata?: unknown;
  _msg?: { hdr?: unknown };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SEQ = encoder.encode(eventHeaders.seq);
const AUTHOR = encoder.encode(eventHeaders.author);
const MESSAGE_ID = encoder.encode(eventHeaders.messageId);
const CR = 13;
const LF = 10;
const COLON = 58;

/**
 * The chat event's headers, or null when it has none. Reads the raw header block of the message
 * directly (one pass over the bytes, no strings for Chat-Seq) instead of nats.js's `msg.headers`,
 * which decodes the whole block to strings and a Map and filters the keys on every get; the
 * answer is the same as reading `msg.headers` (exact key match, first value, trimmed), which is
 * the fallback should the message not have the nats.js 2.x fields.
 */
export function readEventMeta(msg: Msg): EventMeta | null {
  const raw = msg as unknown as RawMsg;
  const hdr = raw._msg?.hdr;
  const bytes = raw._rdata;
  if (typeof hdr !== 'number' || !(bytes instanceof Uint8Array)) return fromHeaders(msg.headers);
  if (hdr <= 0) return null;
  return parseBlock(bytes, Math.min(hdr, bytes.length));
}

/** The same answer from nats.js's decoded headers. */
export function fromHeaders(headers: MsgHdrs | undefined): EventMeta | null {
  if (!headers) return null;
  const rawSeq = headers.get(eventHeaders.seq);
  return {
    seq: rawSeq ? parseSeq(rawSeq) : null,
    author: headers.get(eventHeaders.author) || undefined,
    messageId: headers.get(eventHeaders.messageId) || undefined,
  };
}

function parseSeq(raw: string): number {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
}

function parseBlock(b: Uint8Array, end: number): EventMeta {
  const meta: EventMeta = { seq: null, author: undefined, messageId: undefined };
  let seqSeen = false;
  // The first line is the status line (NATS/1.0).
  let pos = lineEnd(b, 0, end) + 2;
  while (pos < end) {
    const eol = lineEnd(b, pos, end);
    let colon = pos;
    while (colon < eol && b[colon] !== COLON) colon++;
    if (colon < eol) {
      if (!seqSeen && keyIs(b, pos, colon, SEQ)) {
        seqSeen = true;
        meta.seq = seqValue(b, colon + 1, eol);
      } else if (meta.author === undefined && keyIs(b, pos, colon, AUTHOR)) {
        meta.author = textValue(b, colon + 1, eol);
      } else if (meta.messageId === undefined && keyIs(b, pos, colon, MESSAGE_ID)) {
        meta.messageId = textValue(b, colon + 1, eol);
      }
    }
    pos = eol + 2;
  }
  return meta;
}

/** Index of the CR of the CRLF ending the line that starts at `from` (or `end`). */
function lineEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end - 1; i++) if (b[i] === CR && b[i + 1] === LF) return i;
  return end;
}

function keyIs(b: Uint8Array, from: number, to: number, key: Uint8Array): boolean {
  if (to - from !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (b[from + i] !== key[i]) return false;
  return true;
}

/** JavaScript's trim() for the ASCII whitespace a header value can hold. */
function isSpace(c: number | undefined): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

function seqValue(b: Uint8Array, from: number, to: number): number | null {
  while (from < to && isSpace(b[from])) from++;
  while (to > from && isSpace(b[to - 1])) to--;
  if (from === to) return null;
  if (to - from > 15) return NaN;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

function textValue(b: Uint8Array, from: number, to: number): string | undefined {
  const value = decoder.decode(b.subarray(from, to)).trim();
  return value || undefined;
}
