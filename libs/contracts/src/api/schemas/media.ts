import { z } from 'zod';
import { isoTime } from '../../ids.js';

export const mediaTypes = ['image', 'video', 'voice'] as const;

/** A file id: a random UUID (unguessable: the download path needs no token) and the detected type's extension. */
export const fileIdPattern = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z0-9]{2,5})$/;
export const fileId = z.string().regex(fileIdPattern).meta({ description: '`<uuid>.<extension>`, as file_url names it' });

/** 201 of POST /upload: where the file is served, as a media message's `media_url` carries it. */
export const uploaded = z
  .object({
    file_id: fileId,
    /** `/uploads/{user_id}/{file_id}`. */
    file_url: z.string(),
    media_type: z.enum(mediaTypes),
    size: z.number().int().nonnegative(),
    content_type: z.string(),
    created_at: isoTime,
  })
  .meta({
    id: 'Upload',
    examples: [
      {
        file_id: '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a.png',
        file_url: '/uploads/8e6f0c1e-5b7a-4d2c-9f10-3a4b5c6d7e8f/1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a.png',
        media_type: 'image',
        size: 68,
        content_type: 'image/png',
        created_at: '2025-10-03T10:00:00.000Z',
      },
    ],
  });
export type Uploaded = z.infer<typeof uploaded>;

/** The form of POST /upload. */
export const uploadForm = z.object({ file: z.string().meta({ format: 'binary', description: 'The file; its type is read from its first bytes' }) });
