import { describe, expect, it } from 'vitest';
import { uws, uwsBuild, uwsNative } from './load-uws.js';

describe('uWebSockets.js loading', () => {
  it('runs the native binary, not the pure-JS fallback', () => {
    expect(uwsBuild.uws).toBe('native');
    expect(uwsNative).toBe(true);
    expect(typeof uws.App).toBe('function');
  });
});
