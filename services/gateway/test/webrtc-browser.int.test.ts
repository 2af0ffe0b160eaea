import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, registerUser, servePage, startStack, testScope, type Instance, type PageServer, type Stack, type TestUser } from '@chatroulette/testing';

/**
 * A real video call between two people in Chromium (headless, two browser contexts), signalled only
 * through the gateways' rtc_signal frames: each page opens its socket on the chat (one to each of two
 * gateways), the caller sends the fake camera's video and opens a data channel. The media goes peer
 * to peer over loopback ICE host candidates; the backend only relays the signals.
 */
const chromiumPath = '/usr/bin/chromium';
const pageFile = new URL('./webrtc-page.html', import.meta.url);
const scope = testScope('gateway-webrtc');

let stack: Stack;
let gw1: Instance;
let gw2: Instance;
let pages: PageServer;
let pageUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does)`);
  pages = await servePage(pageFile);
  // 127.0.0.1 is a secure context: getUserMedia is allowed on it over http.
  pageUrl = `${pages.origin}/call.html`;
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'gateway', 'gateway'] });
  [gw1, gw2] = stack.all('gateway') as [Instance, Instance];
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      // A camera that draws frames, allowed without asking.
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // Host candidates as addresses: the callee, without camera permission, would offer only mDNS
      // .local names, which nothing here resolves (the call then rests on peer-reflexive candidates).
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
  pages?.close();
});

interface PeerRun {
  role: 'caller' | 'callee';
  message: string;
  sent: Record<string, number>;
  received: Record<string, number>;
  errors: unknown[];
  connectionState: string;
  videoWidth?: number;
  videoHeight?: number;
  framesDecoded?: number;
  hangupData?: unknown;
  track?: string;
}

type PeerPage = Awaited<ReturnType<typeof peerPage>>;

async function peerPage(context: BrowserContext) {
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(String(e)));
  await page.goto(pageUrl);
  return { page, console };
}

describe('a WebRTC call in Chromium, signalled through the gateway', () => {
  it('connects two browsers: the data channel carries a message each way and the fake camera’s video plays on the other side', async () => {
    const [caller, callee] = await Promise.all([registerUser(gw1.url, 'wc'), registerUser(gw1.url, 'we')]);
    const chatId = await createChat(gw1.url, caller, [callee]);
    const contexts = [await browser.newContext(), await browser.newContext()] as const;
    try {
      const [callerPage, calleePage] = await Promise.all([peerPage(contexts[0]), peerPage(contexts[1])]);
      const run = (p: PeerPage, user: TestUser, gateway: Instance, role: PeerRun['role']) =>
        p.page.evaluate((args) => (globalThis as unknown as { runPeer: (a: typeof args) => Promise<PeerRun> }).runPeer(args), { gateway: gateway.url, token: user.token, chatId, role, iceServers: [] });
      // The callee first: an offer sent before its socket is open would be lost (signals are not stored).
      const answering = run(calleePage, callee, gw2, 'callee');
      await calleePage.page.waitForFunction(() => (globalThis as unknown as { peerReady: boolean }).peerReady, undefined, { timeout: 10_000 });
      const [callerRun, calleeRun] = await Promise.all([run(callerPage, caller, gw1, 'caller'), answering]).catch((e) => {
        throw new Error(`${(e as Error).message}\ncaller console: ${callerPage.console.join(' | ')}\ncallee console: ${calleePage.console.join(' | ')}`);
      });

      expect(callerRun.connectionState).toBe('connected');
      expect(callerRun.message).toBe('back: hello over the data channel');
      expect(calleeRun.message).toBe('hello over the data channel');
      expect(calleeRun.videoWidth).toBeGreaterThan(0);
      expect(calleeRun.videoHeight).toBeGreaterThan(0);
      expect(calleeRun.framesDecoded).toBeGreaterThan(0);
      expect(calleeRun.hangupData).toEqual({ reason: 'done' });
      // Every signal one side sent reached the other, through the gateways.
      expect(callerRun.sent.offer).toBe(1);
      expect(calleeRun.received.offer).toBe(1);
      expect(calleeRun.sent.answer).toBe(1);
      expect(callerRun.received.answer).toBe(1);
      // The offer left before any candidate was gathered: the caller's addresses came as candidate signals.
      expect(calleeRun.received.candidate).toBeGreaterThanOrEqual(1);
      expect(calleeRun.received.hangup).toBe(1);
      expect([...callerRun.errors, ...calleeRun.errors]).toEqual([]);
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  }, 60_000);
});
