import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from 'express';
import { AppError, notFound } from '@chatroulette/errors';
import type { MediaContext } from '../context.js';
import { readObject } from '../db/read-object.js';
import { parseRange } from '../domain/byte-range.js';
import { findFile } from '../use-cases/find-file.js';

/** A file's bytes never change under its id (a new upload is a new id): caches may keep it a year. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * GET (and HEAD) /uploads/{user_id}/{file_id}: no token (the ids are unguessable). The bytes with
 * their detected type, never sniffed by a browser into something else (nosniff); a single Range → 206.
 * Streamed from the bucket as fast as the client reads.
 */
export function downloadRoute(ctx: MediaContext): RequestHandler {
  return async (req, res) => {
    const file = await findFile(ctx, String(req.params.user_id), String(req.params.file_id));
    if (!file) throw notFound('File not found');
    const size = file.info.size;
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.setHeader('content-range', `bytes */${size}`);
      throw new AppError('range_not_satisfiable', `Range outside the file's ${size} bytes`);
    }
    res.setHeader('content-type', file.contentType);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', CACHE_CONTROL);
    res.setHeader('accept-ranges', 'bytes');
    const { start, end } = range ?? { start: 0, end: size - 1 };
    if (range) res.setHeader('content-range', `bytes ${start}-${end}/${size}`);
    res.setHeader('content-length', String(end - start + 1));
    res.status(range ? 206 : 200);
    if (req.method === 'HEAD' || size === 0) return void res.end();
    // A failure once bytes are out cannot become an error answer: the connection is cut instead.
    await pipeline(Readable.from(readObject(ctx.nc, file.info, start, end), { objectMode: false }), res).catch((e: unknown) => {
      if (!res.writableEnded) ctx.log.warn({ err: e, path: req.path }, 'download cut off');
      res.destroy();
    });
  };
}
