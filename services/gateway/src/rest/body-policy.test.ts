import { describe, expect, it } from 'vitest';
import { limits } from '@chatroulette/contracts';
import { bodyPolicyFor } from './body-policy.js';

describe('bodyPolicyFor', () => {
  it('streams the upload with a cap of the largest kind and room for the form', () => {
    const policy = bodyPolicyFor('media', '/api/v1/upload');
    expect(policy.kind).toBe('stream');
    expect(policy.maxBytes).toBeGreaterThan(limits.maxVideoBytes);
    expect(policy.maxBytes).toBeLessThan(limits.maxVideoBytes + 1024 * 1024);
  });

  it('buffers every other route under the JSON limit, the media ones too', () => {
    for (const [upstream, path] of [['media', '/api/v1/uploads/f.png'], ['media', '/uploads/u/f.png'], ['messages', '/api/v1/upload'], ['auth', '/api/v1/auth/login']] as const) {
      expect(bodyPolicyFor(upstream, path)).toEqual({ kind: 'buffer', maxBytes: limits.maxBodyBytes });
    }
  });
});
