import { randomUUID } from 'node:crypto';
import { isUuid } from '@chatroulette/contracts';

/** A file id: a random UUID (unguessable: the download path needs no token) and the detected type's extension. */
const fileIdPattern = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z0-9]{2,5})$/;

export function newFileId(ext: string): string {
  return `${randomUUID()}.${ext}`;
}

/** The extension of a well-formed file id, or null for anything else (`..`, slashes, other characters). */
export function fileIdExt(fileId: string): string | null {
  return fileIdPattern.exec(fileId)?.[2] ?? null;
}

export function isUserId(userId: string): boolean {
  return isUuid(userId) && userId === userId.toLowerCase();
}

/** The object's name in the bucket: the owner is part of it, so a DELETE by anyone else finds nothing. */
export function objectName(userId: string, fileId: string): string {
  return `${userId}/${fileId}`;
}

/** The public path of a file, as file_url and a message's media_url give it. */
export function fileUrl(userId: string, fileId: string): string {
  return `/uploads/${userId}/${fileId}`;
}
