import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScope } from '@chatroulette/testing';
import { startGateway } from './helpers.js';

/**
 * The demo app's files at GET / and /assets/..., served by the gateway from DEMO_DIR (a build of
 * its own here, so the test does not depend on apps/demo having been built).
 */
const scope = testScope('gateway-demo-site');
const nowhere = 'http://127.0.0.1:9';
const upstreams = { AUTH_URL: nowhere, MESSAGES_URL: nowhere, ROULETTE_URL: nowhere, MEDIA_URL: nowhere };
const page = '<!doctype html><title>demo</title><script type="module" src="/assets/index-abc123.js"></script>';
const script = 'console.log("demo")';

let built: string;
let empty: string;
let gw: Awaited<ReturnType<typeof startGateway>>;
let notBuilt: Awaited<ReturnType<typeof startGateway>>;
let none: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  built = await mkdtemp(join(tmpdir(), 'demo-site-'));
  empty = await mkdtemp(join(tmpdir(), 'demo-site-empty-'));
  await mkdir(join(built, 'assets'));
  await writeFile(join(built, 'index.html'), page);
  await writeFile(join(built, 'assets', 'index-abc123.js'), script);
  await writeFile(join(built, 'assets', 'index-def456.css'), 'body{margin:0}');
  await writeFile(join(built, 'robots.txt'), 'User-agent: *\n');
  [gw, notBuilt, none] = await Promise.all([
    startGateway(scope, { ...upstreams, DEMO_DIR: built }),
    startGateway(scope, { ...upstreams, DEMO_DIR: empty }),
    startGateway(scope, { ...upstreams, DEMO_DIR: 'off' }),
  ]);
});
afterAll(async () => {
  await Promise.all([gw, notBuilt, none].map((g) => g?.stop()));
  await Promise.all([built, empty].map((d) => d && rm(d, { recursive: true, force: true })));
});

describe('the demo app at /', () => {
  it('serves the page with its type, a CSP that allows only this origin (and blob: media), and revalidation', async () => {
    const res = await fetch(`${gw.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(page);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const rule of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "media-src 'self' blob:", "img-src 'self' blob: data:", "frame-ancestors 'none'"]) expect(csp).toContain(rule);
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);

    const head = await fetch(`${gw.url}/index.html`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('content-type')]).toEqual([200, String(page.length), 'text/html; charset=utf-8']);
    const again = await fetch(`${gw.url}/`, { headers: { 'if-none-match': etag! } });
    expect([again.status, await again.text(), again.headers.get('etag')]).toEqual([304, '', etag]);
  });

  it('serves the hashed assets as immutable with their types, other files briefly; unknown paths stay 404', async () => {
    const js = await fetch(`${gw.url}/assets/index-abc123.js`);
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', script]);
    const css = await fetch(`${gw.url}/assets/index-def456.css`);
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    const txt = await fetch(`${gw.url}/robots.txt`);
    expect([txt.status, txt.headers.get('content-type'), txt.headers.get('cache-control')]).toEqual([200, 'text/plain; charset=utf-8', 'public, max-age=300']);

    for (const path of ['/assets/missing.js', '/assets', '/assets/', '/chats']) {
      const res = await fetch(`${gw.url}${path}`);
      expect([path, res.status, ((await res.json()) as { code: string }).code]).toEqual([path, 404, 'not_found']);
    }
    // Only GET and HEAD read files: anything else on / is routed as before (no service owns it).
    const post = await fetch(`${gw.url}/`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(404);
  });

  it('answers a browser on another origin with CORS, as every answer of the gateway', async () => {
    const res = await fetch(`${gw.url}/`, { headers: { origin: 'http://elsewhere.test' } });
    expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([200, 'http://elsewhere.test']);
  });

  it('serves a new build of the page without a restart', async () => {
    const before = (await fetch(`${gw.url}/`)).headers.get('etag');
    const next = page.replace('abc123', 'fff999');
    await writeFile(join(built, 'index.html'), next);
    // A later mtime, even on a file system with coarse timestamps.
    const later = new Date(Date.now() + 2000);
    await utimes(join(built, 'index.html'), later, later);
    const res = await fetch(`${gw.url}/`);
    expect(await res.text()).toBe(next);
    expect(res.headers.get('etag')).not.toBe(before);
  });
});

describe('without a build', () => {
  it('answers / with a 503 that says how to build the app, the assets with 404, and the build once it is there', async () => {
    const res = await fetch(`${notBuilt.url}/`);
    expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([503, 'text/plain; charset=utf-8', 'no-store']);
    expect(await res.text()).toContain('npm run build -w @chatroulette/demo');
    expect((await fetch(`${notBuilt.url}/assets/index-abc123.js`)).status).toBe(404);
    expect((await fetch(`${notBuilt.url}/healthz`)).status).toBe(200);

    await writeFile(join(empty, 'index.html'), page);
    const now = await fetch(`${notBuilt.url}/`);
    expect([now.status, await now.text()]).toEqual([200, page]);
  });

  it('serves nothing at / with DEMO_DIR=off: the 404 of any unknown path', async () => {
    const res = await fetch(`${none.url}/`);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([404, 'not_found']);
  });
});
