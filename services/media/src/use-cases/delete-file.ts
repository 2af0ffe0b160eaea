import { notFound } from '@chatroulette/errors';
import type { MediaContext } from '../context.js';
import { objectName } from '../domain/file-id.js';
import { findFile } from './find-file.js';

/**
 * Deletes the caller's file. The owner is part of the object's name, so another user's file id
 * is simply not found under the caller's name: 404, the same answer as an unknown id.
 */
export async function deleteFile(ctx: MediaContext, caller: string, fileId: string): Promise<void> {
  const file = await findFile(ctx, caller, fileId);
  if (!file) throw notFound('File not found');
  await ctx.bucket.delete(objectName(caller, fileId));
  ctx.log.info({ owner: caller, fileId }, 'file deleted');
}
