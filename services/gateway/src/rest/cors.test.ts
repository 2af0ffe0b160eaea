import { describe, expect, it } from 'vitest';
import { parseAllowedOrigins } from '../transport/origin-check.js';
import { corsFor, isCorsHeader } from './cors.js';

const allow = parseAllowedOrigins('https://app.example.com, null');
const header = (d: ReturnType<typeof corsFor>, name: string) => d.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

describe('corsFor', () => {
  it('passes a request without Origin with Vary: Origin only', () => {
    expect(corsFor(allow, 'GET', {})).toEqual({ verdict: 'pass', headers: [['Vary', 'Origin']] });
  });

  it('refuses an origin not listed, with no Access-Control header', () => {
    for (const method of ['GET', 'OPTIONS']) {
      const d = corsFor(allow, method, { origin: 'https://evil.example', 'access-control-request-method': 'GET' });
      expect(d.verdict).toBe('refused');
      expect(d.headers.filter(([k]) => isCorsHeader(k.toLowerCase()))).toEqual([]);
    }
  });

  it('answers a preflight with the origin, and the requested headers it allows once each', () => {
    const d = corsFor(allow, 'OPTIONS', { origin: 'null', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,Range, x-evil, range, if-none-match' });
    expect(d.verdict).toBe('preflight');
    expect(header(d, 'access-control-allow-origin')).toEqual(['null']);
    expect(header(d, 'access-control-allow-headers')).toEqual(['Authorization, Content-Type, X-Request-Id, range, if-none-match']);
    expect(header(d, 'access-control-allow-credentials')).toEqual([]);
  });

  it('treats an OPTIONS without Access-Control-Request-Method as an ordinary request', () => {
    const d = corsFor(allow, 'OPTIONS', { origin: 'https://app.example.com' });
    expect(d.verdict).toBe('pass');
    expect(header(d, 'access-control-expose-headers')[0]).toContain('Retry-After');
  });

  it('echoes any origin when every origin is allowed', () => {
    expect(header(corsFor(null, 'GET', { origin: 'http://localhost:5173' }), 'access-control-allow-origin')).toEqual(['http://localhost:5173']);
  });
});
