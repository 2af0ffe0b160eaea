import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { startStack, testScope, type Stack, type Topology } from '@chatroulette/testing';
import { Person } from './person.js';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const chromiumPath = '/usr/bin/chromium';

/** Rules roomy enough that no test trips them by accident, and a roulette that pairs at once. */
const stackEnv: Topology['env'] = {
  messages: { RATE_MESSAGES_PER_SECOND: '1000', RATE_MESSAGES_BURST: '1000' },
  // A page closed for a while (presence offline, then back) must not end the match.
  roulette: { ROULETTE_GRACE_MS: '60000', ROULETTE_MATCHER_LOOP_MS: '100', ROULETTE_SKIP_COOLDOWN_MS: '60000' },
};

export interface DemoStack {
  stack: Stack;
  browser: Browser;
  /** The gateway serving the demo: http://127.0.0.1:<port>/ is the app. */
  url: string;
  destroy(): Promise<void>;
}

/**
 * The whole backend with a gateway serving the demo app, built by Vite for this file alone (into a
 * folder of its own, so files running side by side never share one), and Chromium. `video` adds the
 * fake camera and microphone.
 */
export async function startDemo(label: string, opts: { video?: boolean; gatewayEnv?: Record<string, string> } = {}): Promise<DemoStack> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does)`);
  const outDir = await mkdtemp(join(tmpdir(), 'demo-build-'));
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  try {
    await build({ root: appRoot, configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    stack = await startStack({
      infra: testScope(label),
      env: stackEnv,
      instances: [['auth', 'messages', 'media'], 'roulette', { service: 'gateway', env: { DEMO_DIR: outDir, ...opts.gatewayEnv } }],
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: browserArgs(opts.video ?? false) });
  } catch (e) {
    await browser?.close();
    await stack?.destroy();
    await rm(outDir, { recursive: true, force: true });
    throw e;
  }
  const started = { stack, browser };
  return {
    ...started,
    url: `${stack.get('gateway').url}/`,
    async destroy() {
      await started.browser.close();
      await started.stack.destroy();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

function browserArgs(video: boolean): string[] {
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];
  if (!video) return args;
  return [
    ...args,
    // A camera and microphone that make frames and sound, allowed without asking.
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    // Host candidates as addresses, not mDNS .local names nothing here resolves.
    '--disable-features=WebRtcHideLocalIpsWithMdns',
  ];
}

/**
 * A test file's demo: started before its tests, stopped after them with every person it opened.
 * `open` opens a person at the demo (or at `url`, e.g. through a relay).
 */
export function useDemo(label: string, opts: Parameters<typeof startDemo>[1] = {}) {
  let demo: DemoStack | undefined;
  const people: Person[] = [];
  beforeAll(async () => {
    demo = await startDemo(label, opts);
  });
  afterAll(async () => {
    await Promise.all(people.map((p) => p.close()));
    await demo?.destroy();
  });
  const started = () => demo ?? fail('the demo has not started');
  return {
    get demo(): DemoStack {
      return started();
    },
    async open(url = started().url): Promise<Person> {
      const person = await Person.open(started().browser, url);
      people.push(person);
      return person;
    },
  };
}

function fail(why: string): never {
  throw new Error(why);
}
