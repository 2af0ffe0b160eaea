import { uniqueName, waitUntil } from '@chatroulette/testing';
import { createClient, type ChatSocket, type Client, type ClientOptions, type MessageObject, type ServerFrame, type SocketState } from '../src/index.js';

export const PASSWORD = 'correct horse battery';

/** Fast reconnects, so a test waits for conditions in tenths of seconds rather than the production backoff. */
export const quickSockets: ClientOptions['socket'] = { reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } };

/** A client of the gateway at `baseUrl` (on Node 20 its socket loads `ws` by itself). */
export function clientOf(baseUrl: string, opts: Omit<ClientOptions, 'baseUrl'> = {}): Client {
  return createClient({ baseUrl, socket: quickSockets, ...opts });
}

/** A client signed in as a fresh user; its user. */
export async function signedIn(baseUrl: string, prefix = 'c', opts: Omit<ClientOptions, 'baseUrl'> = {}) {
  const client = clientOf(baseUrl, opts);
  const { user } = await client.auth.register({ username: uniqueName(prefix), password: PASSWORD });
  return { client, user };
}

/** What a socket handed to the app, in order: its frames, states and recoveries. */
export class AppView {
  readonly frames: ServerFrame[] = [];
  readonly states: SocketState[] = [];
  readonly recovered: number[] = [];
  readonly resets: number[] = [];
  readonly errors: string[] = [];

  constructor(readonly socket: ChatSocket) {
    socket.on('frame', (f) => this.frames.push(f));
    socket.on('state', (s) => this.states.push(s));
    socket.on('recovered', (r) => this.recovered.push(r.seq));
    socket.on('reset', (r) => this.resets.push(r.seq));
    socket.on('error', (p) => this.errors.push(p.code));
  }

  /** The new_message payloads delivered, in order. */
  messages(): MessageObject[] {
    return this.frames.flatMap((f) => (f.type === 'new_message' ? [f.payload] : []));
  }

  /** The seq of every chat event delivered, in order. */
  seqs(): number[] {
    return this.frames.flatMap((f) => ('seq' in f ? [f.seq] : []));
  }

  /** The chat event frames (those with a seq), without the live extras that may come between them. */
  chatEvents(): ServerFrame[] {
    return this.frames.filter((f) => 'seq' in f);
  }

  async until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
    await waitUntil(async () => (done() ? true : undefined), { what, timeoutMs, intervalMs: 20 });
  }

  open(): Promise<void> {
    return this.until('socket open', () => this.socket.state === 'open');
  }

  /** Until `count` messages were delivered. */
  messageCount(count: number, timeoutMs?: number): Promise<void> {
    return this.until(`${count} messages (have ${this.messages().length})`, () => this.messages().length >= count, timeoutMs);
  }
}

/** The view of a new socket of `client` on `chatId`, open. */
export async function openView(client: Client, chatId?: string, opts: Parameters<Client['socket']>[0] = {}): Promise<AppView> {
  const view = new AppView(client.socket({ ...opts, ...(chatId ? { chatId } : {}) }));
  await view.open();
  return view;
}
