import { apiPaths } from '../../rest-routes.js';
import { messageAnswer } from '../schemas/common.js';
import { fileId, uploadForm, uploaded } from '../schemas/media.js';
import { json, route, type RestAnswer, type RestRoute } from './route.js';

const bytes = (description: string, headers: Record<string, string>): RestAnswer => ({ description, contentType: '*/*', headers });
const fileHeaders = {
  'Content-Type': 'The type detected at upload',
  'Cache-Control': 'public, max-age=31536000, immutable: a file never changes under its id',
  'X-Content-Type-Options': 'nosniff',
  'Accept-Ranges': 'bytes',
};

const download = (method: 'get' | 'head') =>
  route({
    method,
    path: `${apiPaths.files}/{user_id}/{file_id}`,
    tag: 'media',
    summary: method === 'get' ? 'Download a file' : 'A file\'s headers',
    description: 'No token: the ids are unguessable. One `Range` gets a 206.',
    auth: 'none',
    params: { file_id: fileId },
    answers: {
      200: bytes('The file', fileHeaders),
      206: bytes('The requested range', { ...fileHeaders, 'Content-Range': '`bytes <start>-<end>/<size>`' }),
    },
    errors: [404, 416],
  });

/** The media service's routes (apiPaths.upload, apiPaths.uploads, apiPaths.files). */
export const mediaRoutes: RestRoute[] = [
  route({
    method: 'post',
    path: apiPaths.upload,
    tag: 'media',
    summary: 'Upload a file',
    description: 'JPEG, PNG, GIF, WebP (image, 10 MB), MP4, WebM, QuickTime (video, 100 MB), MP3, WAV, Ogg, M4A (voice, 25 MB), told by its first bytes. Too large: 413, as soon as it passes the limit; another type: 415.',
    auth: 'bearer',
    body: { schema: uploadForm, contentType: 'multipart/form-data' },
    answers: { 201: json('Stored: `file_url` is the media_url of a message', uploaded) },
    errors: [400, 415],
  }),
  route({
    method: 'delete',
    path: `${apiPaths.uploads}/{file_id}`,
    tag: 'media',
    summary: 'Delete an own file',
    description: 'Anyone else\'s file, or an unknown id: 404.',
    auth: 'bearer',
    params: { file_id: fileId },
    answers: { 200: json('Deleted', messageAnswer) },
    errors: [404],
  }),
  download('get'),
  download('head'),
];
