import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAsyncApiDocument, buildOpenApiDocument } from '@chatroulette/contracts';
import { api, asyncApiProblems, openApiProblems, startStack, testScope, type Stack } from '@chatroulette/testing';

/**
 * The gateway serves the two documents and the /docs page itself: the page is Swagger UI from the npm
 * package (no CDN), rendered by a real browser (Debian's Chromium through playwright-core).
 */
const chromiumPath = '/usr/bin/chromium';
const scope = testScope('gateway-api-docs');

let stack: Stack;
let gateway: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does)`);
  stack = await startStack({ infra: scope, instances: ['gateway'] });
  gateway = stack.get('gateway').url;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

describe('GET /api/v1/openapi.json and /api/v1/asyncapi.json', () => {
  it('answer the documents built from libs/contracts, which the validators accept', async () => {
    const openapi = await api(gateway, 'GET', '/api/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.headers.get('content-type')).toMatch(/^application\/json/);
    expect(openapi.body).toEqual(buildOpenApiDocument());
    expect(await openApiProblems(openapi.body)).toEqual([]);

    const asyncapi = await api(gateway, 'GET', '/api/v1/asyncapi.json');
    expect(asyncapi.status).toBe(200);
    expect(asyncapi.body).toEqual(buildAsyncApiDocument());
    expect(await asyncApiProblems(asyncapi.body)).toEqual([]);
  });

  it('carry caching headers: an ETag that a revalidation gets a 304 with, and a Cache-Control', async () => {
    const first = await api(gateway, 'GET', '/api/v1/openapi.json');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const again = await api(gateway, 'GET', '/api/v1/openapi.json', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    const other = await api(gateway, 'GET', '/api/v1/asyncapi.json', { headers: { 'if-none-match': etag! } });
    expect(other.status).toBe(200);
  });

  it('answer a page on another origin with CORS, like every other route', async () => {
    const res = await api(gateway, 'GET', '/api/v1/openapi.json', { headers: { origin: 'https://app.example.com' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });
});

describe('GET /docs', () => {
  it('is a page under a CSP that allows this origin only', async () => {
    const res = await api(gateway, 'GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.body).toContain('/api/v1/asyncapi.json');
  });

  it('renders the routes in Chromium from the gateway alone, with no CSP violation', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      await page.goto(`${gateway}/docs`);
      const messages = page.locator('.opblock-summary-path[data-path="/api/v1/chats/{chat_id}/messages"]');
      await messages.first().waitFor({ timeout: 20_000 });
      const paths = await page.locator('.opblock-summary-path').allTextContents();
      for (const p of ['/api/v1/auth/register', '/api/v1/chats/{chat_id}/messages', '/api/v1/chatroulette/search', '/api/v1/upload', '/api/v1/swirl/find']) {
        expect(paths.map((t) => t.replace(/\u200b/g, ''))).toContain(p);
      }
      expect(await page.locator('a[href="/api/v1/asyncapi.json"]').count()).toBeGreaterThan(0);
      expect(requested.length).toBeGreaterThan(3);
      expect(requested.filter((u) => new URL(u).origin !== gateway)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
