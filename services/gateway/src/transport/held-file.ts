import { createHash } from 'node:crypto';

/** A file the gateway holds in memory and answers itself (the documents, the demo app). */
export interface HeldFile {
  body: Buffer;
  /** Every header of its 200 but CORS's, an ETag among them. */
  headers: Record<string, string>;
}

/** What the gateway answers for such a file: the bytes and every header but CORS's. */
export interface HeldAnswer {
  status: 200 | 304 | 503;
  headers: Record<string, string>;
  body: Buffer;
}

/** A strong ETag of the bytes. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Its 200, or a 304 (no body) when If-None-Match names its ETag. */
export function answerHeld(file: HeldFile, ifNoneMatch: string | undefined): HeldAnswer {
  const etag = file.headers.ETag!;
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
    return { status: 304, headers: { ETag: etag, 'Cache-Control': file.headers['Cache-Control']! }, body: Buffer.alloc(0) };
  }
  return { status: 200, headers: file.headers, body: file.body };
}
