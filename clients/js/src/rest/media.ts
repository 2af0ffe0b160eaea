import type { MessageAnswer, UploadAnswer } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import { seg, urlOf, type Http } from '../http.js';

/** Uploads: a file's `file_url` is the `media_url` of a media message. */
export function mediaApi(http: Http, baseUrl: string) {
  return {
    /** POST /upload: the type is read from the bytes (415 otherwise); 413 over its kind's limit. */
    upload: (file: Blob, filename = 'upload') => {
      const form = new FormData();
      form.append('file', file, filename);
      return http<UploadAnswer>('POST', paths.upload, { form });
    },
    /** DELETE /uploads/{file_id}: the owner only (404 for anyone else). */
    delete: (fileId: string) => http<MessageAnswer>('DELETE', `${paths.uploads}/${seg(fileId)}`),
    /** The absolute URL of a `file_url` or `media_url` path (`/uploads/...`), for an <img> or a download. */
    url: (fileUrl: string) => (/^https?:\/\//i.test(fileUrl) ? fileUrl : urlOf(baseUrl, fileUrl)),
  };
}
