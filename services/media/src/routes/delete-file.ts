import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { MediaContext } from '../context.js';
import { deleteFile } from '../use-cases/delete-file.js';

/** DELETE /api/v1/uploads/{file_id}: the owner's file is removed; anyone else's is not found. */
export function deleteFileRoute(ctx: MediaContext): RequestHandler {
  return async (req, res) => {
    await deleteFile(ctx, currentUser(req).userId, String(req.params.file_id));
    res.status(200).json({ message: 'File deleted' });
  };
}
