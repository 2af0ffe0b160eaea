import { limits, type mediaTypes } from '@chatroulette/contracts';

export type MediaKind = (typeof mediaTypes)[number];

/** What an accepted file is stored as: its kind, the extension of its stored name, its Content-Type. */
export interface AcceptedType {
  kind: MediaKind;
  ext: string;
  contentType: string;
}

/** The most bytes of each kind (the contract's limits). */
export const maxBytesOf: Record<MediaKind, number> = {
  image: limits.maxImageBytes,
  video: limits.maxVideoBytes,
  voice: limits.maxVoiceBytes,
};

/** The largest file of any kind: what is read before a type is known to refuse a bigger one. */
export const maxUploadBytes = Math.max(...Object.values(maxBytesOf));

/**
 * The contract's accepted types, keyed by the extension the detector (file-type) names. APNG is a
 * PNG to every browser; Opus, FLAC and Speex in Ogg are Ogg voice.
 */
const accepted: Record<string, AcceptedType> = {
  jpg: { kind: 'image', ext: 'jpg', contentType: 'image/jpeg' },
  png: { kind: 'image', ext: 'png', contentType: 'image/png' },
  apng: { kind: 'image', ext: 'png', contentType: 'image/png' },
  gif: { kind: 'image', ext: 'gif', contentType: 'image/gif' },
  webp: { kind: 'image', ext: 'webp', contentType: 'image/webp' },
  mp4: { kind: 'video', ext: 'mp4', contentType: 'video/mp4' },
  webm: { kind: 'video', ext: 'webm', contentType: 'video/webm' },
  mov: { kind: 'video', ext: 'mov', contentType: 'video/quicktime' },
  mp3: { kind: 'voice', ext: 'mp3', contentType: 'audio/mpeg' },
  wav: { kind: 'voice', ext: 'wav', contentType: 'audio/wav' },
  ogg: { kind: 'voice', ext: 'ogg', contentType: 'audio/ogg' },
  opus: { kind: 'voice', ext: 'ogg', contentType: 'audio/ogg' },
  oga: { kind: 'voice', ext: 'ogg', contentType: 'audio/ogg' },
  spx: { kind: 'voice', ext: 'ogg', contentType: 'audio/ogg' },
  m4a: { kind: 'voice', ext: 'm4a', contentType: 'audio/mp4' },
};

/** The accepted type of what the detector found in the first bytes, or null (415). */
export function acceptedType(detectedExt: string | undefined): AcceptedType | null {
  if (detectedExt === undefined) return null;
  return Object.hasOwn(accepted, detectedExt) ? accepted[detectedExt]! : null;
}

/** The Content-Type a stored file is served with, from its name's extension. */
export function contentTypeOfExt(ext: string): string | null {
  for (const t of Object.values(accepted)) if (t.ext === ext) return t.contentType;
  return null;
}
