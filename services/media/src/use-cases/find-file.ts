import type { ObjectInfo } from 'nats';
import type { MediaContext } from '../context.js';
import { fileIdExt, isUserId, objectName } from '../domain/file-id.js';
import { contentTypeOfExt } from '../domain/media-kind.js';

export interface StoredFile {
  info: ObjectInfo;
  contentType: string;
}

/** The stored file of `userId` named `fileId`, or null (unknown, deleted, or an id that is not one of ours). */
export async function findFile(ctx: MediaContext, userId: string, fileId: string): Promise<StoredFile | null> {
  const ext = fileIdExt(fileId);
  if (!isUserId(userId) || ext === null) return null;
  const info = await ctx.bucket.info(objectName(userId, fileId));
  if (!info || info.deleted) return null;
  const contentType = info.metadata?.content_type ?? contentTypeOfExt(ext);
  return contentType ? { info, contentType } : null;
}
