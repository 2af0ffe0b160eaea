import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import type { StackInfra } from '@chatroulette/testing';

/** A real 1×1 PNG. */
export const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The first bytes of an MP4 (ftyp isom) followed by `size` bytes in all. */
export function mp4Of(size: number): Buffer {
  const b = Buffer.alloc(size);
  Buffer.from('0000001c6674797069736f6d0000020069736f6d69736f32617663316d703431', 'hex').copy(b);
  return b;
}

/** A PNG signature followed by zeros, `size` bytes in all. */
export function pngOf(size: number): Buffer {
  const b = randomBytes(size);
  png.copy(b);
  return b;
}

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body built by hand, so a test can also send it broken. */
export function multipart(parts: Part[], opts: { boundary?: string; closing?: boolean } = {}) {
  const boundary = opts.boundary ?? `----test${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    const type = p.contentType ? `Content-Type: ${p.contentType}\r\n` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  if (opts.closing !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/v1/upload with a body as is. */
export async function upload(base: string, token: string | undefined, body: Buffer, contentType: string) {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1/upload`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** The file as a `file` field. */
export const fileForm = (data: Buffer, filename = 'a.bin', contentType = 'application/octet-stream') =>
  multipart([{ name: 'file', filename, contentType, data }]);

/** The test's view of the media bucket: its objects, and chunks that belong to none of them. */
export async function bucketOf(infra: StackInfra) {
  const nc: NatsConnection = await connect({ servers: infra.natsUrl });
  const bucket = createSubjects(infra.namespace).mediaBucket;
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  const os = await js.views.os(bucket);
  return {
    os,
    async objects() {
      return (await os.list()).filter((o) => !o.deleted);
    },
    /** Chunk subjects in the stream whose object is not a live one: what a failed upload left. */
    async strayChunks(): Promise<string[]> {
      const live = new Set((await os.list()).filter((o) => !o.deleted).map((o) => o.nuid));
      const info = await jsm.streams.info(`OBJ_${bucket}`, { subjects_filter: `$O.${bucket}.C.>` });
      return Object.keys(info.state.subjects ?? {}).filter((s) => !live.has(s.split('.').at(-1)!));
    },
    /** Messages in the bucket's stream that hold chunks. */
    async chunkMessages(): Promise<number> {
      const info = await jsm.streams.info(`OBJ_${bucket}`, { subjects_filter: `$O.${bucket}.C.>` });
      return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
    },
    close: () => nc.close(),
  };
}
