import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { badRequest, isAppError } from '@chatroulette/errors';
import { cutOff, missingFile } from '../domain/upload-errors.js';

/** The multipart field that carries the file (the original product's form). */
const FILE_FIELD = 'file';

/** Small caps on what else a form may hold, so nothing but the file takes more than a few KiB. */
const formLimits = { fields: 20, fieldSize: 4096, files: 3, parts: 30, headerPairs: 50 };

/**
 * Parses a multipart/form-data request as it arrives (busboy) and hands the `file` field's bytes to
 * `handle` as a stream, without holding the body. Rejects with a 400 for a body that is not
 * multipart, malformed, cut off, or has no `file`; with `handle`'s own error when it refuses the file.
 * When the answer comes before the body ended (a refusal), the rest of the body is not read: the
 * connection closes after the answer.
 */
export function receiveFile<T>(req: Request, res: Response, handle: (file: Readable) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!req.is('multipart/form-data')) return reject(badRequest('Expected a multipart/form-data body'));
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: formLimits });
    } catch (e) {
      return reject(badRequest(`Malformed multipart/form-data: ${(e as Error).message}`));
    }
    let handling: Promise<T> | null = null;
    let parseError: Error | null = null;
    let settled = false;
    const settle = (outcome: { value: T } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      if (!req.complete) stopReading();
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    /** An answer before the body ended: no more of it is read, and the connection ends with the answer. */
    const stopReading = () => {
      req.unpipe(parser);
      parser.destroy();
      res.setHeader('connection', 'close');
      res.once('finish', () => req.destroy());
    };

    parser.on('file', (name, stream) => {
      if (name !== FILE_FIELD || handling) return void stream.resume();
      handling = handle(stream);
      handling.then(
        (value) => settle({ value }),
        // The file stream fails with the form's error (malformed, cut off): answered as that 400.
        (e: unknown) => settle({ error: isAppError(e) ? e : parseError ? malformed(parseError) : e }),
      );
    });
    parser.on('error', (e: Error) => {
      parseError = e;
      // With the file being handled, its stream fails too and `handle` rejects: that answer wins.
      if (!handling) settle({ error: malformed(e) });
    });
    parser.on('close', () => {
      if (!handling) settle({ error: missingFile() });
    });
    req.on('close', () => {
      // The client went away mid-body: the file stream fails, so a put in progress is undone.
      if (req.complete || settled) return;
      parseError = new Error('Unexpected end of form');
      parser.destroy(parseError);
    });
    req.pipe(parser);
  });
}

function malformed(e: Error) {
  return /Unexpected end of form/.test(e.message) ? cutOff() : badRequest(`Malformed multipart/form-data: ${e.message}`);
}
