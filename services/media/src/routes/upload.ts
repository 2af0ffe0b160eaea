import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { MediaContext } from '../context.js';
import { storeUpload } from '../use-cases/upload.js';
import { receiveFile } from './multipart-file.js';

/** POST /api/v1/upload: the `file` field of a multipart form, stored as the caller's. */
export function uploadRoute(ctx: MediaContext): RequestHandler {
  return async (req, res) => {
    const owner = currentUser(req).userId;
    const view = await receiveFile(req, res, (file) => storeUpload(ctx, owner, file));
    res.status(201).json(view);
  };
}
