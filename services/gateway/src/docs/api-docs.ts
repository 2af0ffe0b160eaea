import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildAsyncApiDocument, buildOpenApiDocument, gatewayPaths } from '@chatroulette/contracts';
import { answerHeld, etagOf, type HeldAnswer, type HeldFile } from '../transport/held-file.js';

/**
 * The page's own rules: scripts and styles only from this origin (Swagger UI's bundle and init.js:
 * no inline script), inline style attributes (Swagger UI sets them), fetches only to this origin.
 */
const pageCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI's files the page loads, served from the npm package (no CDN). */
const rendererFiles = { 'swagger-ui.css': 'text/css', 'swagger-ui-bundle.js': 'text/javascript', 'favicon-32x32.png': 'image/png' } as const;
const ownFiles = { 'init.js': 'text/javascript', 'page.css': 'text/css' } as const;

/**
 * GET /api/v1/openapi.json, /api/v1/asyncapi.json and the /docs page with its assets, built once when
 * the gateway starts (the documents from libs/contracts, the renderer from swagger-ui-dist), each with
 * an ETag (If-None-Match gets a 304) and a Cache-Control.
 */
export function createApiDocs() {
  const assets = new Map<string, HeldFile>();
  const add = (path: string, body: Buffer, type: string, cacheControl: string, extra: Record<string, string> = {}) => {
    assets.set(path, { body, headers: { 'Content-Type': type, 'Cache-Control': cacheControl, ETag: etagOf(body), 'X-Content-Type-Options': 'nosniff', ...extra } });
  };
  const json = (doc: unknown) => Buffer.from(JSON.stringify(doc));
  // A new gateway version may change the documents: caches keep them minutes, then revalidate by ETag.
  add(gatewayPaths.openapi, json(buildOpenApiDocument()), 'application/json; charset=utf-8', 'public, max-age=300');
  add(gatewayPaths.asyncapi, json(buildAsyncApiDocument()), 'application/json; charset=utf-8', 'public, max-age=300');
  const page = readFileSync(new URL('./page.html', import.meta.url));
  for (const path of [gatewayPaths.docs, `${gatewayPaths.docs}/`]) {
    add(path, page, 'text/html; charset=utf-8', 'public, max-age=300', { 'Content-Security-Policy': pageCsp, 'Referrer-Policy': 'no-referrer' });
  }
  for (const [name, type] of Object.entries(ownFiles)) add(`${gatewayPaths.docs}/${name}`, readFileSync(new URL(`./${name}`, import.meta.url)), type, 'public, max-age=300');
  const renderer = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const [name, type] of Object.entries(rendererFiles)) add(`${gatewayPaths.docs}/${name}`, readFileSync(join(renderer, name)), type, 'public, max-age=86400');

  return {
    /** The answer for GET or HEAD on a documents path (a HEAD sends no body); null for any other request. */
    answer(method: string, path: string, ifNoneMatch: string | undefined): HeldAnswer | null {
      if (method !== 'GET' && method !== 'HEAD') return null;
      const asset = assets.get(path);
      return asset ? answerHeld(asset, ifNoneMatch) : null;
    },
  };
}

export type ApiDocs = ReturnType<typeof createApiDocs>;
