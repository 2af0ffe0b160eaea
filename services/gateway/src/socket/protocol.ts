import { clientFrame, clientFrames, type ClientFrame } from '@chatroulette/contracts';

export type Incoming = { ok: true; frame: ClientFrame } | { ok: false; code: string; message: string };

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
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !Object.hasOwn(clientFrames, type)) {
    return { ok: false, code: 'unknown_type', message: `Unknown frame type "${type.slice(0, 50)}"` };
  }
  return { ok: false, code: 'invalid_frame', message: parsed.error.issues[0]?.message ?? 'Invalid frame' };
}
