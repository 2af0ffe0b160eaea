import { socketPath } from '../contract.js';
import { urlOf } from '../http.js';

/**
 * The socket's URL on the gateway: first-frame auth (`auth=frame`: the token goes in the first
 * frame, never in a URL that proxies log), the chat, and `since` to resume.
 */
export function socketUrl(baseUrl: string, chatId: string | null, since: number | null): string {
  const url = urlOf(baseUrl, socketPath, { auth: 'frame', chat_id: chatId ?? undefined, since: since ?? undefined });
  return url.replace(/^http/i, 'ws');
}
