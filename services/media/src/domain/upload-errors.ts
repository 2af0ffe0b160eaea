import { AppError, badRequest } from '@chatroulette/errors';
import type { MediaKind } from './media-kind.js';

export const emptyFile = () => badRequest('The file is empty');
export const missingFile = () => badRequest('The multipart body has no file field "file"');
export const cutOff = () => badRequest('The upload was cut off before the file ended');
export const unsupportedType = () =>
  new AppError('unsupported_media_type', 'Unsupported file type: JPEG, PNG, GIF, WebP, MP4, WebM, QuickTime, MP3, WAV, Ogg or M4A only');
export const tooLarge = (kind: MediaKind, max: number) => new AppError('payload_too_large', `A ${kind} file may have at most ${max} bytes`);
