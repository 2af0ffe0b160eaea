import { describe, expect, it } from 'vitest';
import { findExecutable } from './find-executable.js';

describe('findExecutable', () => {
  it('finds a program on PATH', () => {
    expect(findExecutable('node', [])).toMatch(/\/node$/);
  });

  it('names what is missing and where it looked', () => {
    expect(() => findExecutable('no-such-server', ['/nope/no-such-server'], 'Install it.')).toThrow(
      'no-such-server is not installed: looked in /nope/no-such-server, PATH. Install it.',
    );
  });
});
