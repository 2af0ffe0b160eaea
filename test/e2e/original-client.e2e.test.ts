import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, servePage, startStack, testScope, uniqueName, type Instance, type PageServer, type Stack } from '@chatroulette/testing';

/**
 * The original product's browser client, run unchanged against the gateway: two people, each in a
 * Chromium context of their own, on a page served from another origin than the gateway. The page
 * (original-client-page.html) makes the original client's requests and reads its fields; this test
 * follows two people through register, find (one waits and polls, the other finds), a message each
 * way shown live, save and skip, and checks what each page ends up showing.
 */
const chromiumPath = '/usr/bin/chromium';
const pageFile = new URL('./original-client-page.html', import.meta.url);
const scope = testScope('e2e-original-client');
const password = 'correct horse battery';

let stack: Stack;
let gateway: Instance;
let pages: PageServer;
let pageOrigin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does)`);
  pages = await servePage(pageFile);
  pageOrigin = pages.origin;
  stack = await startStack({
    infra: scope,
    instances: ['auth', 'messages', 'roulette', { service: 'gateway', env: { ALLOWED_ORIGINS: pageOrigin } }],
  });
  gateway = stack.get('gateway');
  // The system's Chromium, never a download; no background traffic of its own.
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await stack?.destroy();
  pages?.close();
});

interface Logged {
  method: string;
  path: string;
  /** null while unanswered. */
  status: number | null;
}

/** What the test reads of a page's client (window.client in the page). */
interface ClientView {
  token: string;
  userId: string;
  chatId: string;
  partner: string;
  socketOpen: boolean;
  /** The page still holds a socket (skip drops it). */
  hasSocket: boolean;
  polling: boolean;
  requests: Logged[];
  personalChats: { id: string; name: string; type: string; participants: number }[];
}

type ClientCall = 'register' | 'find' | 'send' | 'save' | 'skip' | 'openPersonalChat';

/** One person: a browser context of their own with the page open. */
async function person(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${pageOrigin}/?gateway=${encodeURIComponent(gateway.url)}`);
  return page;
}

/** Calls one of the page client's actions (what a button of the original does); resolves to the HTTP status it got. */
const act = (page: Page, name: ClientCall, ...args: string[]) =>
  page.evaluate(([n, a]) => (globalThis as any).client[n as string](...(a as string[])) as Promise<number>, [name, args] as const);

const view = (page: Page) =>
  page.evaluate((): ClientView => {
    const c = (globalThis as any).client;
    return {
      token: c.token,
      userId: c.userId,
      chatId: c.chatId,
      partner: c.partner,
      socketOpen: c.socketOpen,
      hasSocket: c.socket !== null,
      polling: c.poller !== null,
      requests: c.requests.map((r: Logged) => ({ ...r })),
      personalChats: [...c.personalChats],
    };
  });

/** The messages the page shows, in order, each marked as the person's own or not. */
const shown = (page: Page) =>
  page.$$eval('#messages .message', (els) => els.map((e) => ({ text: e.textContent, own: e.classList.contains('own') })));

async function shows(page: Page, count: number) {
  await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#messages .message').length >= n, count, { timeout: 10_000 });
}

describe("the original product's web client, two people in Chromium on another origin", () => {
  it('register, find (one polls, the other finds), a message each way shown live and told apart as own, save, skip', async () => {
    expect(new URL(gateway.url).origin).not.toBe(pageOrigin);
    const [alice, bob] = [await person(), await person()];
    const names = { alice: uniqueName('oa'), bob: uniqueName('ob') };

    // Register through the original's route; the id the page reads from the token is the user's.
    expect(await act(alice, 'register', names.alice, password)).toBe(201);
    expect(await act(bob, 'register', names.bob, password)).toBe(201);
    for (const [page, username] of [[alice, names.alice], [bob, names.bob]] as const) {
      const v = await view(page);
      const profile = await api(gateway.url, 'GET', '/api/v1/auth/profile', { token: v.token });
      expect(profile.body).toMatchObject({ id: v.userId, username });
      expect(v.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /api/v1/register 201',
        'GET /api/v1/swirl/status 200',
        'GET /api/v1/chats 200',
        'POST /api/v1/profile/online 200',
      ]);
      expect(v.personalChats).toEqual([]);
    }
    const ids = { alice: (await view(alice)).userId, bob: (await view(bob)).userId };

    // Alice finds nobody and waits in the queue, polling; Bob's find matches her.
    expect(await act(alice, 'find')).toBe(404);
    expect((await view(alice)).polling).toBe(true);
    expect(await act(bob, 'find')).toBe(200);
    const bobs = await view(bob);
    expect(bobs.partner).toBe(names.alice);
    const chatId = bobs.chatId;
    expect(chatId).toMatch(/^[0-9a-f-]{36}$/);

    // Alice's page learns of the chat by the original's rule on GET /chats, within a poll or two.
    await alice.waitForFunction(() => (globalThis as any).client.chatId !== '', undefined, { timeout: 15_000 });
    const alices = await view(alice);
    expect(alices.chatId).toBe(chatId);
    expect(alices.polling).toBe(false);
    const afterFind = alices.requests.slice(alices.requests.findIndex((r) => r.path === '/api/v1/swirl/find'));
    expect(afterFind[0]).toEqual({ method: 'GET', path: '/api/v1/swirl/find', status: 404 });
    for (const polled of ['POST /api/v1/swirl/activity', 'GET /api/v1/swirl/status', 'GET /api/v1/chats']) {
      expect(afterFind.map((r) => `${r.method} ${r.path}`)).toContain(polled);
    }

    // Both sockets open as the original opens them (token in the query, from another origin).
    for (const page of [alice, bob]) await page.waitForFunction(() => (globalThis as any).client.socketOpen, undefined, { timeout: 10_000 });

    // A message each way: each shows up live on both sockets, as one's own on the sender's page only.
    expect(await act(alice, 'send', 'hello from alice')).toBe(201);
    await shows(alice, 1);
    await shows(bob, 1);
    expect(await act(bob, 'send', 'hello from bob')).toBe(201);
    await shows(alice, 2);
    await shows(bob, 2);
    expect(await shown(alice)).toEqual([
      { text: 'hello from alice', own: true },
      { text: 'hello from bob', own: false },
    ]);
    expect(await shown(bob)).toEqual([
      { text: 'hello from alice', own: false },
      { text: 'hello from bob', own: true },
    ]);

    // Save: the chat becomes one of Alice's personal chats; Bob saving it again gets the 409 the original expects.
    expect(await act(alice, 'save')).toBe(200);
    expect((await view(alice)).personalChats).toEqual([{ id: chatId, name: 'Saved Chat - Chatroulette Chat', type: 'saved', participants: 2 }]);
    expect(await act(bob, 'save')).toBe(409);

    // Skip: Bob leaves the roulette; his page is back to searching.
    expect(await act(bob, 'skip')).toBe(200);
    const skipped = await view(bob);
    expect(skipped.chatId).toBe('');
    expect(skipped.hasSocket).toBe(false);

    // Each opens the saved chat: the history (newest first, shown oldest first) marks the same messages own.
    expect(await act(alice, 'openPersonalChat', chatId)).toBe(200);
    expect(await act(bob, 'openPersonalChat', chatId)).toBe(200);
    expect(await shown(alice)).toEqual([
      { text: 'hello from alice', own: true },
      { text: 'hello from bob', own: false },
    ]);
    expect(await shown(bob)).toEqual([
      { text: 'hello from alice', own: false },
      { text: 'hello from bob', own: true },
    ]);

    // Every request either page made was answered as the original expects: 2xx, but the one 404 and the one 409.
    const failed = [...(await view(alice)).requests, ...(await view(bob)).requests].filter((r) => r.status !== null && r.status >= 300);
    expect(failed).toEqual([
      { method: 'GET', path: '/api/v1/swirl/find', status: 404 },
      { method: 'POST', path: `/api/v1/swirl/${chatId}/save`, status: 409 },
    ]);
    expect(ids.alice).not.toBe(ids.bob);
  }, 60_000);
});
