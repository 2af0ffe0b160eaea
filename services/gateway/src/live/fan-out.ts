import type { Hub } from '../hub/hub.js';
import { chatTopic } from '../hub/topics.js';

/**
 * Sends a live frame to every socket here on the chat but the user's own. The uWS topic would
 * reach the sender's sockets too, so the chat's sockets are walked (a chat has few).
 */
export function sendToOthers(hub: Hub, chatId: string, exceptUserId: string, data: Uint8Array | string): void {
  const sockets = hub.onTopic(chatTopic(chatId));
  if (!sockets) return;
  for (const ws of sockets) {
    const socket = ws.getUserData();
    if (socket.userId === exceptUserId || socket.state !== 'open') continue;
    ws.cork(() => ws.send(data, false));
  }
}
