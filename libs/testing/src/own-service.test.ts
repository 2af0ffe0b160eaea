import { describe, expect, it } from 'vitest';
import { announcesListening, startOwnService } from './own-service.js';

describe('startOwnService', () => {
  it('takes a pino line that names the port, or says it listens, as ready', () => {
    expect(announcesListening('{"level":30,"port":4100,"msg":"started"}', 4100)).toBe(true);
    expect(announcesListening('{"level":30,"port":4100,"msg":"started"}', 4101)).toBe(false);
    expect(announcesListening('{"level":30,"msg":"auth service listening"}')).toBe(true);
    expect(announcesListening('listening, but not JSON')).toBe(false);
  });

  it('runs services/<name>/src/main.ts from the repo root, and fails with its output when there is none', async () => {
    await expect(startOwnService('no-such-service', { echo: 'never' })).rejects.toThrow(
      /exited with code 1[\s\S]*services\/no-such-service\/src\/main\.ts/,
    );
  });
});
