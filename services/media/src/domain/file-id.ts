import { randomUUID } from 'node:crypto';
import { fileIdPattern, isUuid } from '@chatroulette/contracts';

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
