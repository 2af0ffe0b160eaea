import { afterEach, describe, expect, it } from 'vitest';
import { admittedSocketData, pendingSocketData, type Socket, type SocketData } from '../socket/socket-data.js';
import { Hub } from './hub.js';
import { chatTopic, userTopic } from './topics.js';

const chat = '3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11';
const socket = (data: SocketData) => ({ getUserData: () => data }) as unknown as Socket;
const exp = Math.floor(Date.now() / 1000) + 600;

let hub: Hub | undefined;
afterEach(() => hub?.stop());

describe('Hub', () => {
  it('says online at a user\'s first admitted socket and offline at the last, and counts watchers per chat', () => {
    const seen: string[] = [];
    hub = new Hub({ online: (u) => seen.push(`online ${u}`), offline: (u) => seen.push(`offline ${u}`) });
    const a1 = socket(admittedSocketData({ userId: 'a', exp }, chat, null));
    const a2 = socket(admittedSocketData({ userId: 'a', exp }, null, null));
    const b = socket(admittedSocketData({ userId: 'b', exp }, chat, null));
    for (const ws of [a1, a2, b]) {
      hub.opened(ws);
      hub.admitted(ws);
    }
    expect(seen).toEqual(['online a', 'online b']);
    expect([...(hub.watchersOf(chat) ?? new Map())]).toEqual([['a', 1], ['b', 1]]);
    expect(hub.onTopic(chatTopic(chat))?.size).toBe(2);
    expect(hub.onTopic(userTopic('a'))?.size).toBe(2);
    expect(hub.stats()).toEqual({ sockets: 3, users: 2 });

    hub.closed(a1, true);
    expect(seen).toEqual(['online a', 'online b']);
    expect([...(hub.watchersOf(chat) ?? new Map())]).toEqual([['b', 1]]);
    hub.closed(a2, true);
    hub.closed(b, true);
    expect(seen).toEqual(['online a', 'online b', 'offline a', 'offline b']);
    expect(hub.watchersOf(chat)).toBeUndefined();
    expect(hub.onTopic(userTopic('a'))).toBeUndefined();
    expect(hub.stats()).toEqual({ sockets: 0, users: 0 });
  });

  it('knows a socket waiting for its auth frame only as open (shutdown, sweep)', () => {
    const seen: string[] = [];
    hub = new Hub({ online: (u) => seen.push(u), offline: (u) => seen.push(u) });
    const ws = socket(pendingSocketData(chat, 3));
    hub.opened(ws);
    expect(hub.stats()).toEqual({ sockets: 1, users: 0 });
    hub.closed(ws, false);
    expect(hub.stats()).toEqual({ sockets: 0, users: 0 });
    expect(seen).toEqual([]);
  });
});
