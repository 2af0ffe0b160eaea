import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import type { Uploaded } from '@chatroulette/contracts';
import type { MediaContext } from '../context.js';
import { putObject } from '../db/put-object.js';
import { fileUrl, newFileId, objectName } from '../domain/file-id.js';
import { acceptedType, maxBytesOf, type AcceptedType } from '../domain/media-kind.js';
import { emptyFile, tooLarge, unsupportedType } from '../domain/upload-errors.js';

/** Bytes given to the detector: file-type's own "reasonable detection size". */
const SAMPLE_BYTES = 4100;

/**
 * Stores the uploaded `file` of `owner`: its type from its first bytes (never the client's claim),
 * refused unless the contract accepts it (415), cut off as soon as it passes its kind's limit
 * (413), streamed into the bucket. `file` erroring (a body cut off) rejects with its error; in every
 * refusal nothing of the file is kept.
 */
export async function storeUpload(ctx: MediaContext, owner: string, file: Readable): Promise<Uploaded> {
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await readHead(chunks);
  if (head.byteLength === 0) throw emptyFile();
  const type = acceptedType((await fileTypeFromBuffer(head.subarray(0, SAMPLE_BYTES)))?.ext);
  if (!type) throw unsupportedType();
  const max = maxBytesOf[type.kind];
  const fileId = newFileId(type.ext);
  const createdAt = new Date().toISOString();
  const meta = { owner, mediaType: type.kind, contentType: type.contentType, createdAt };
  const info = await putObject(ctx.nc, ctx.bucket, objectName(owner, fileId), meta, limited(head, chunks, max, type));
  ctx.log.info({ owner, fileId, size: info.size, type: type.contentType }, 'file stored');
  return { file_id: fileId, file_url: fileUrl(owner, fileId), media_type: type.kind, size: info.size, content_type: type.contentType, created_at: createdAt };
}

/** The first chunks of the file, until at least the detector's sample is there or the file ends. */
async function readHead(chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < SAMPLE_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    parts.push(next.value);
    size += next.value.byteLength;
  }
  return Buffer.concat(parts, size);
}

/** The head, then the rest of the file; throws 413 the moment more than `max` bytes have come. */
async function* limited(head: Buffer, rest: AsyncIterator<Buffer>, max: number, type: AcceptedType): AsyncGenerator<Uint8Array> {
  let size = head.byteLength;
  if (size > max) throw tooLarge(type.kind, max);
  yield head;
  while (true) {
    const next = await rest.next();
    if (next.done) return;
    size += next.value.byteLength;
    if (size > max) throw tooLarge(type.kind, max);
    yield next.value;
  }
}
