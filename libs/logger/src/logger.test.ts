import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.js';

describe('redactUrl', () => {
  it('hides the token query parameter wherever it stands', () => {
    expect(redactUrl('/api/v1/ws?token=abc.def.ghi&chat_id=1')).toBe('/api/v1/ws?token=[redacted]&chat_id=1');
    expect(redactUrl('/api/v1/ws?chat_id=1&TOKEN=abc')).toBe('/api/v1/ws?chat_id=1&TOKEN=[redacted]');
    expect(redactUrl('/api/v1/ws?chat_id=1')).toBe('/api/v1/ws?chat_id=1');
  });
});

describe('createLogger', () => {
  it('never writes passwords, tokens or authorization headers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger('t', 'info', sink);
    log.info(
      { password: 'hunter22', token: 'jwt0', body: { token: 'jwt2', password: 'pw2' }, req: { headers: { authorization: 'Bearer x1' } } },
      'hello',
    );
    const out = lines.join('');
    expect(out).toContain('hello');
    expect(out).toContain('[redacted]');
    expect(out).not.toMatch(/hunter22|jwt0|jwt2|pw2|Bearer x1/);
  });
});
