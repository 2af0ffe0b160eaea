import { expireSocket, userOf, type Socket, type SocketData } from '../socket/socket-data.js';
import { ExpirySweep } from './expiry-sweep.js';
import { chatTopic, userTopic } from './topics.js';

/** A topic's sockets, and the bytes published on it since the slow-consumer check last looked. */
export class TopicSockets extends Set<Socket> {
  unchecked = 0;
}

/** Told when a user's first socket here opens and when the last one closes (presence). */
export interface UserPresenceHooks {
  online(userId: string): void;
  offline(userId: string): void;
}

function topicsOf(data: SocketData): string[] {
  const user = userTopic(userOf(data));
  return data.chatId ? [user, chatTopic(data.chatId)] : [user];
}

/**
 * The one registry of this gateway's sockets: every open socket (shutdown, the slow-consumer sweep),
 * admitted sockets by user (presence), by chat and user (delivery receipts), by topic (the
 * slow-consumer checks) and by token expiry. A socket enters at `opened`, is counted once admitted
 * (`admitted`) and leaves at `closed`, so the views never disagree.
 */
export class Hub {
  /** Every open socket, admitted or still waiting for its auth frame. */
  readonly sockets = new Set<Socket>();
  private readonly byTopic = new Map<string, TopicSockets>();
  private readonly socketsPerUser = new Map<string, number>();
  /** Per chat, the users with a socket on it here and how many sockets each. */
  private readonly watchersPerChat = new Map<string, Map<string, number>>();
  private readonly expiry: ExpirySweep<Socket>;

  constructor(private readonly presence: UserPresenceHooks) {
    this.expiry = new ExpirySweep<Socket>((ws) => ws.getUserData(), expireSocket);
  }

  /** A socket opened (admitted or not): known for shutdown and the sweep. */
  opened(ws: Socket): void {
    this.sockets.add(ws);
  }

  /** An open socket was admitted: its user, chat, topics and token expiry. */
  admitted(ws: Socket): void {
    const data = ws.getUserData();
    const userId = userOf(data);
    for (const topic of topicsOf(data)) {
      let set = this.byTopic.get(topic);
      if (!set) this.byTopic.set(topic, (set = new TopicSockets()));
      set.add(ws);
    }
    const n = (this.socketsPerUser.get(userId) ?? 0) + 1;
    this.socketsPerUser.set(userId, n);
    if (n === 1) this.presence.online(userId);
    this.expiry.add(ws, data.exp);
    if (data.chatId) {
      let watchers = this.watchersPerChat.get(data.chatId);
      if (!watchers) this.watchersPerChat.set(data.chatId, (watchers = new Map()));
      watchers.set(userId, (watchers.get(userId) ?? 0) + 1);
    }
  }

  /** A fresh token moved the socket's expiry. */
  renewed(ws: Socket): void {
    this.expiry.add(ws, ws.getUserData().exp);
  }

  /** The socket closed; `wasAdmitted` says whether `admitted` counted it. */
  closed(ws: Socket, wasAdmitted: boolean): void {
    this.sockets.delete(ws);
    if (!wasAdmitted) return;
    const data = ws.getUserData();
    const userId = userOf(data);
    for (const topic of topicsOf(data)) {
      const set = this.byTopic.get(topic);
      set?.delete(ws);
      if (set?.size === 0) this.byTopic.delete(topic);
    }
    this.expiry.remove(ws);
    const n = (this.socketsPerUser.get(userId) ?? 0) - 1;
    if (n > 0) this.socketsPerUser.set(userId, n);
    else {
      this.socketsPerUser.delete(userId);
      this.presence.offline(userId);
    }
    if (data.chatId) this.unwatch(data.chatId, userId);
  }

  private unwatch(chatId: string, userId: string): void {
    const watchers = this.watchersPerChat.get(chatId);
    if (!watchers) return;
    const n = (watchers.get(userId) ?? 0) - 1;
    if (n > 0) watchers.set(userId, n);
    else watchers.delete(userId);
    if (watchers.size === 0) this.watchersPerChat.delete(chatId);
  }

  hasUser(userId: string): boolean {
    return this.socketsPerUser.has(userId);
  }

  /** The users with an admitted socket here. */
  users(): Iterable<string> {
    return this.socketsPerUser.keys();
  }

  /** Users with a socket on the chat here, and how many sockets each (delivery receipts). */
  watchersOf(chatId: string): ReadonlyMap<string, number> | undefined {
    return this.watchersPerChat.get(chatId);
  }

  /** The admitted sockets on a topic, for the slow-consumer checks. */
  onTopic(topic: string): TopicSockets | undefined {
    return this.byTopic.get(topic);
  }

  /** Counts, for tests and logs. */
  stats(): { sockets: number; users: number } {
    return { sockets: this.sockets.size, users: this.socketsPerUser.size };
  }

  stop(): void {
    this.expiry.stop();
  }
}
