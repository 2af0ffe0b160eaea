import { describe, expect, it } from 'vitest';
import { fileIdExt, isUserId, newFileId } from './file-id.js';

describe('file ids', () => {
  it('are a random UUID with the extension, and only such ids are read back', () => {
    const id = newFileId('png');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.png$/);
    expect(newFileId('png')).not.toBe(id);
    expect(fileIdExt(id)).toBe('png');
    for (const bad of ['..', '../x.png', `${id}/..`, `x${id}`, id.toUpperCase(), id.replace('.png', ''), `${id}.png`, `a/${id}`]) expect(fileIdExt(bad)).toBeNull();
  });

  it('takes user ids only as lowercase UUIDs', () => {
    expect(isUserId('8e6f0c1e-0000-4000-8000-000000000000')).toBe(true);
    expect(isUserId('8E6F0C1E-0000-4000-8000-000000000000')).toBe(false);
    expect(isUserId('..')).toBe(false);
  });
});
