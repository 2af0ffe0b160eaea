import { clientFrame, clientFrames, isUuid, liveKinds, type ClientFrame } from '@chatroulette/contracts';

export type Incoming = { ok: true; frame: ClientFrame } | { ok: false; code: string; message: string };

const liveTypes = new Set<string>(liveKinds);

/** Parses one client frame; anything else becomes an error to answer with an error frame (the socket stays). */
export function parseClientFrame(message: ArrayBuffer, isBinary: boolean): Incoming {
  if (isBinary) return { ok: false, code: 'binary_not_supported', message: 'Frames are JSON text' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(message).toString('utf8'));
  } catch {
    return { ok: false, code: 'invalid_json', message: 'A frame must be one JSON object' };
  }
  const parsed = clientFrame.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const type = typeOf(json);
  if (type !== null && !Object.hasOwn(clientFrames, type)) {
    return { ok: false, code: 'unknown_type', message: `Unknown frame type "${type.slice(0, 50)}"` };
  }
  return { ok: false, code: 'invalid_frame', message: parsed.error.issues[0]?.message ?? 'Invalid frame' };
}

/**
 * A frame over the size limit that is a live frame (typing, rtc_signal): its chat, so it gets an
 * error frame and the socket stays; undefined for any other frame, which closes the socket (1009).
 */
export function oversizedLiveFrame(message: ArrayBuffer, isBinary: boolean): { chatId: string | null } | undefined {
  if (isBinary) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(message).toString('utf8'));
  } catch {
    return undefined;
  }
  const type = typeOf(json);
  if (type === null || !liveTypes.has(type)) return undefined;
  const chatId = (json as { chat_id?: unknown }).chat_id;
  return { chatId: isUuid(chatId) ? chatId.toLowerCase() : null };
}

function typeOf(json: unknown): string | null {
  const type = (json as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : null;
}
