import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, repoRoot, startStack, testScope, uniqueName, type Stack } from '@chatroulette/testing';

// The package as it ships (dist/, built by its prepare script at `npm ci`; built again here so the
// test sees this tree's source), in the two places it runs: plain Node 20 and a browser.
const run = promisify(execFile);
const chromiumPath = '/usr/bin/chromium';
const dist = join(repoRoot, 'clients/js/dist');
const scope = testScope('client-package');
let stack: Stack;
let gatewayUrl: string;
let pages: Server;
let pageOrigin: string;
let browser: Browser;

/** The page: the built ESM imported as it is, no bundler (its only imports are its own files). */
const page = `<!doctype html><meta charset="utf-8"><script type="module">
import { createClient, ApiError } from '/dist/index.js';
window.ready = true;
window.converse = async ({ gateway, names, password }) => {
  const [ann, bob] = [createClient({ baseUrl: gateway }), createClient({ baseUrl: gateway })];
  const { user: a } = await ann.auth.register({ username: names[0], password });
  await bob.auth.register({ username: names[1], password });
  const chat = await bob.chats.create({ participant_ids: [a.id] });
  const got = { ann: [], bob: [] };
  const sockets = [ann, bob].map((c) => c.socket({ chatId: chat.id }));
  sockets.forEach((s, i) => s.on('new_message', (m) => got[i ? 'bob' : 'ann'].push(m.content)));
  await Promise.all(sockets.map((s) => new Promise((resolve) => s.on('state', (st) => st === 'open' && resolve()))));
  await sockets[0].send({ type: 'text', content: 'hi from ann' });
  await sockets[1].send({ type: 'text', content: 'hi from bob' });
  while (got.ann.length < 2 || got.bob.length < 2) await new Promise((r) => setTimeout(r, 20));
  const refused = await ann.auth.login({ username: names[0], password: 'not the password' }).catch((e) => e);
  sockets.forEach((s) => s.close());
  return { got, refused: { isApiError: refused instanceof ApiError, status: refused.status, code: refused.code }, origin: location.origin };
};
</script>`;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does)`);
  await run('npx', ['tsc', '-p', 'clients/js/tsconfig.build.json'], { cwd: repoRoot });
  stack = await startStack({ infra: scope, instances: [['auth', 'messages'], 'gateway'] });
  gatewayUrl = stack.get('gateway').url;
  pages = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    if (!path.startsWith('/dist/') || !path.endsWith('.js')) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(await readFile(join(dist, path.slice('/dist/'.length))));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => pages.listen(0, '127.0.0.1', () => r()));
  pageOrigin = `http://127.0.0.1:${(pages.address() as net.AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  pages?.closeAllConnections();
  pages?.close();
  await stack?.destroy();
});

/** A script for plain Node (no TypeScript loader): through the package's exports map, `ws` found by itself. */
const nodeScript = `
import { createClient } from '@chatroulette/client';
const client = createClient({ baseUrl: process.env.BASE });
await client.auth.register({ username: process.env.NAME, password: 'correct horse battery' });
const chat = await client.chats.create({ participant_ids: [process.env.OTHER] });
const socket = client.socket({ chatId: chat.id });
const got = new Promise((resolve) => socket.on('new_message', (m, frame) => resolve({ content: m.content, seq: frame.seq })));
await new Promise((resolve) => socket.on('state', (s) => s === 'open' && resolve()));
const sent = await socket.send({ type: 'text', content: 'from plain node' });
console.log(JSON.stringify({ sent: sent.content, got: await got, version: process.version, globalWebSocket: typeof globalThis.WebSocket }));
socket.close();
`;

describe('the built package', () => {
  it('runs in plain Node 20: ESM through its exports map, the ws package loaded where there is no global WebSocket', async () => {
    const other = await registerUser(gatewayUrl, 'pkg');
    const env = { ...process.env, BASE: gatewayUrl, NAME: uniqueName('pkg'), OTHER: other.id };
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', nodeScript], { cwd: repoRoot, env, timeout: 30_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out).toEqual({ sent: 'from plain node', got: { content: 'from plain node', seq: 1 }, version: expect.stringMatching(/^v20\./), globalWebSocket: 'undefined' });
  }, 60_000);

  it('runs in Chromium from another origin: two users talk over the browser WebSocket, and errors are ApiErrors', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${pageOrigin}/`);
      await tab.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
      const input = { gateway: gatewayUrl, names: [uniqueName('bra'), uniqueName('brb')], password: 'correct horse battery' };
      const result = await tab.evaluate((args) => (globalThis as unknown as { converse: (a: typeof args) => Promise<unknown> }).converse(args), input);
      expect(result).toEqual({
        got: { ann: ['hi from ann', 'hi from bob'], bob: ['hi from ann', 'hi from bob'] },
        refused: { isApiError: true, status: 401, code: 'unauthorized' },
        origin: pageOrigin,
      });
    } finally {
      await context.close();
    }
  }, 60_000);
});
