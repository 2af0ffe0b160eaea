import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { uniqueName, waitUntil } from '@chatroulette/testing';

export const PASSWORD = 'correct horse battery';

/** What a message of the list shows, read from its data-testid parts. */
export interface ShownMessage {
  id: string;
  author: string;
  content: string;
  status: string;
  likes: string;
  /** The src of its image, video or audio, for a media message. */
  media: string | null;
}

/** The little of a DOM element read in the page (the tests' types have no DOM library). */
interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getAttribute(name: string): string | null;
}

/**
 * One person at the demo app in a browser context of their own (own storage, own socket), driven
 * only through the app's data-testid attributes.
 */
export class Person {
  readonly problems: string[] = [];
  readonly failed: string[] = [];
  username = '';

  private constructor(
    readonly context: BrowserContext,
    public page: Page,
  ) {
    this.watch(page);
  }

  static async open(browser: Browser, url: string, viewport = { width: 1100, height: 800 }): Promise<Person> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const person = new Person(context, page);
    await page.goto(url);
    return person;
  }

  /**
   * Page errors and console errors, which a test expects to stay empty, and the answers of 400 or
   * more the page got (`401 POST /api/v1/auth/login`), which a test compares with those it caused.
   */
  private watch(page: Page): void {
    page.on('pageerror', (e) => this.problems.push(`pageerror: ${e.message}`));
    // The browser's own line for an error answer; `failed` has it with its method and path.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && this.problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && this.failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  }

  /** A new page of the same context (same storage: the app restores the session), the old one closed. */
  async reopen(url: string): Promise<void> {
    this.page = await this.context.newPage();
    this.watch(this.page);
    await this.page.goto(url);
  }

  the(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  async register(prefix: string): Promise<void> {
    this.username = uniqueName(prefix);
    await this.the('auth-username').fill(this.username);
    await this.the('auth-password').fill(PASSWORD);
    await this.the('auth-register').click();
    await this.hasText('me-username', this.username);
  }

  async text(testId: string): Promise<string> {
    return ((await this.the(testId).textContent()) ?? '').trim();
  }

  /** Until the element's whole text is `expected`. */
  async hasText(testId: string, expected: string, timeoutMs = 15_000): Promise<void> {
    await this.until(`${testId} = ${expected}`, async () => (await this.the(testId).count()) === 1 && (await this.text(testId)) === expected, timeoutMs);
  }

  /** Polls `check` (false or a throw: not yet) until it holds. */
  async until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    await waitUntil(async () => ((await check()) ? true : undefined), { what: `${this.username}: ${what}`, timeoutMs, intervalMs: 50 });
  }

  /** The messages of the list, in order. */
  messages(): Promise<ShownMessage[]> {
    return this.the('message-list').evaluate((list) => {
      const root = list as unknown as PageElement;
      return [...root.querySelectorAll('[data-testid="message"]')].map((el) => {
        const part = (id: string) => el.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '';
        const media = el.querySelector('[data-testid="message-content"] :is(img, video, audio)');
        return { id: el.dataset.messageId ?? '', author: part('message-author'), content: part('message-content'), status: part('message-status'), likes: part('message-like'), media: media?.getAttribute('src') ?? null };
      });
    });
  }

  /**
   * Records every text the element shows from now on (a MutationObserver in the page, so no
   * change is missed between two polls); the returned function reads them.
   */
  async recordTexts(testId: string): Promise<() => Promise<string[]>> {
    const key = `texts:${testId}`;
    await this.the(testId).evaluate((el, k) => {
      const node = el as unknown as { textContent: string | null };
      const log = [node.textContent ?? ''];
      (globalThis as unknown as Record<string, string[]>)[k] = log;
      const Observer = (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(target: unknown, init: object): void } }).MutationObserver;
      new Observer(() => log.at(-1) !== node.textContent && log.push(node.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    }, key);
    return () => this.page.evaluate((k) => [...(globalThis as unknown as Record<string, string[]>)[k]!], key);
  }

  message(id: string): Locator {
    return this.page.locator(`[data-testid="message"][data-message-id="${id}"]`);
  }

  /** Until a message with this content is listed; its id. */
  async messageWith(content: string, timeoutMs = 15_000): Promise<string> {
    let id = '';
    await this.until(`a message "${content}"`, async () => {
      id = (await this.messages()).find((m) => m.content === content)?.id ?? '';
      return id !== '';
    }, timeoutMs);
    return id;
  }

  async send(content: string): Promise<string> {
    await this.the('message-input').fill(content);
    await this.the('message-send').click();
    return this.messageWith(content);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Both search (with a shared interest) and are matched with each other. */
export async function match(a: Person, b: Person, interest = 'chess'): Promise<void> {
  for (const p of [a, b]) {
    await p.the('search-interests').fill(interest);
    await p.the('search-start').click();
  }
  await Promise.all([a.hasText('search-status', 'matched'), b.hasText('search-status', 'matched')]);
  await Promise.all([a.hasText('partner-username', b.username), b.hasText('partner-username', a.username)]);
}
