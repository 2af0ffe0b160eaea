import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Logger } from 'pino';
import { gatewayPaths } from '@chatroulette/contracts';
import { answerHeld, etagOf, type HeldAnswer, type HeldFile } from '../transport/held-file.js';
import { contentTypeOf } from './content-types.js';
import { cacheControlOf, pageHeaders } from './site-headers.js';

interface Built {
  /** index.html's mtime when loaded: a newer build is loaded on the next request for the page. */
  stamp: number;
  files: Map<string, HeldFile>;
}

const indexPath = '/index.html';
const isPage = (path: string) => path === gatewayPaths.app || path === indexPath;

/** A missing build is looked for again at most this often (npm ci may build it after the gateway started). */
const RECHECK_MS = 5000;

const notBuilt = (dir: string) =>
  Buffer.from(
    `The demo app is not built: ${dir} has no index.html.\n` +
      'npm ci builds it (the prepare script of apps/demo); to build it by hand: npm run build -w @chatroulette/demo\n' +
      'The API is served as usual under /api/v1.\n',
  );

/**
 * The demo app (apps/demo, built by Vite) at GET / and its files, from `dir` (DEMO_DIR), held in
 * memory: the page and everything under dist/, each with its Content-Type, an ETag (If-None-Match
 * gets a 304) and a Cache-Control; the page with its CSP. Without a build, GET / is a 503 that says
 * how to build it, and the asset paths are left to the gateway's 404. `dir` null: no demo served.
 */
export function createDemoSite(dir: string | null, log: Logger) {
  let built: Built | null = null;
  let checkedAt = 0;

  const load = (): Built | null => {
    if (!dir) return null;
    const index = join(dir, 'index.html');
    let stamp: number;
    try {
      stamp = statSync(index).mtimeMs;
    } catch {
      if (built) log.warn({ dir }, 'the demo app build is gone');
      return null;
    }
    if (built?.stamp === stamp) return built;
    const files = new Map<string, HeldFile>();
    for (const file of filesUnder(dir)) {
      const urlPath = `/${relative(dir, file).split(sep).join('/')}`;
      const body = readFileSync(file);
      const headers: Record<string, string> = {
        'Content-Type': contentTypeOf(file),
        'Cache-Control': cacheControlOf(urlPath),
        ETag: etagOf(body),
        'X-Content-Type-Options': 'nosniff',
        ...(urlPath.endsWith('.html') ? pageHeaders : {}),
      };
      files.set(urlPath, { body, headers });
    }
    const page = files.get(indexPath);
    if (page) files.set(gatewayPaths.app, page);
    log.info({ dir, files: files.size }, 'demo app loaded');
    return { stamp, files };
  };

  const current = (path: string): Built | null => {
    // The page's request checks for a new build; its assets are asked for right after, by the new page.
    const due = isPage(path) || (!built && Date.now() - checkedAt > RECHECK_MS);
    if (due) {
      checkedAt = Date.now();
      built = load();
    }
    return built;
  };

  return {
    /** The answer for GET or HEAD on a path of the app (a HEAD sends no body); null for any other request. */
    answer(method: string, path: string, ifNoneMatch: string | undefined): HeldAnswer | null {
      if ((method !== 'GET' && method !== 'HEAD') || dir === null) return null;
      const site = current(path);
      if (!site) {
        if (!isPage(path)) return null;
        return { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '5' }, body: notBuilt(dir) };
      }
      const file = site.files.get(path);
      return file ? answerHeld(file, ifNoneMatch) : null;
    },
  };
}

export type DemoSite = ReturnType<typeof createDemoSite>;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}
