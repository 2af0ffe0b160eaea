import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, servePage, startStack, testScope, uniqueName, type Instance, type PageServer, type Stack, type TestUser } from '@chatroulette/testing';

/**
 * A real browser (Debian's Chromium, headless, through playwright-core) runs a web client from
 * another origin than the gateway: a page served on another port, and the same page opened from
 * file:// (origin `null`). It registers, makes authorized calls (each one preflighted), opens the
 * socket and receives a frame: what CORS at the gateway is for. A page from an origin that is not
 * in ALLOWED_ORIGINS cannot make a single call.
 */
const chromiumPath = '/usr/bin/chromium';
const pageFile = new URL('./cors-page.html', import.meta.url);
const scope = testScope('gateway-browser');

let stack: Stack;
let gateway: Instance;
let pages: PageServer;
/** http://127.0.0.1:<port>: in ALLOWED_ORIGINS. */
let pageOrigin: string;
/** http://localhost:<same port>: the same server, another origin, not in ALLOWED_ORIGINS. */
let strangerOrigin: string;
let fileDir: string;
let browser: Browser;
let peer: TestUser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does)`);
  pages = await servePage(pageFile);
  pageOrigin = pages.origin;
  strangerOrigin = `http://localhost:${pages.port}`;
  fileDir = await mkdtemp(join(tmpdir(), 'cors-page-'));
  await copyFile(pageFile, join(fileDir, 'page.html'));

  stack = await startStack({
    infra: scope,
    instances: ['auth', 'messages', { service: 'gateway', env: { ALLOWED_ORIGINS: `${pageOrigin}, null` } }],
  });
  gateway = stack.get('gateway');
  peer = await registerUser(gateway.url);
  // Never a browser download: the system's Chromium. No background traffic of its own.
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
  pages?.close();
  if (fileDir) await rm(fileDir, { recursive: true, force: true });
});

interface ClientRun {
  origin: string;
  protocol: string;
  userId: string;
  chatId: string;
  messageId: string;
  frame: { type: string; chat_id: string; payload: { id: string; sender_id?: string; content: string } };
}

/** Opens the page at `url` in a fresh browser context and runs its client against the gateway. */
async function runClient(url: string): Promise<ClientRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    const input = { gateway: gateway.url, username: uniqueName('br'), password: 'correct horse battery', peerId: peer.id };
    return await page.evaluate((args) => (globalThis as unknown as { runClient: (a: typeof args) => Promise<ClientRun> }).runClient(args), input);
  } finally {
    await context.close();
  }
}

/** The peer's view of the chat: the message the page sent is stored. */
async function peerSees(run: ClientRun) {
  const history = await api(gateway.url, 'GET', `/api/v1/chats/${run.chatId}/messages`, { token: peer.token });
  expect(history.status).toBe(200);
  expect(history.body.map((m: { id: string }) => m.id)).toContain(run.messageId);
}

describe('a web client in Chromium, on another origin than the gateway', () => {
  it('served from another port: registers, calls with a token, opens the socket and receives its frame', async () => {
    const run = await runClient(`${pageOrigin}/page.html`);
    expect(run.origin).toBe(pageOrigin);
    expect(run.protocol).toBe('chatroulette');
    expect(run.frame).toMatchObject({ type: 'new_message', chat_id: run.chatId, payload: { id: run.messageId, content: `hello from ${pageOrigin}` } });
    await peerSees(run);
  });

  it('opened from file:// (origin null): the same', async () => {
    const run = await runClient(pathToFileURL(join(fileDir, 'page.html')).href);
    expect(run.origin).toBe('null');
    expect(run.frame).toMatchObject({ type: 'new_message', chat_id: run.chatId, payload: { id: run.messageId } });
    await peerSees(run);
  });

  it('from an origin not in ALLOWED_ORIGINS: the first call already fails in the page', async () => {
    await expect(runClient(`${strangerOrigin}/page.html`)).rejects.toThrow(/Failed to fetch/);
  });
});
