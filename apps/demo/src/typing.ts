import { live } from './live.js';

/** A pause this long in typing tells the partner the user stopped. */
const TYPING_PAUSE_MS = 3000;
let lastTypingAt = 0;
let pauseTimer: ReturnType<typeof setTimeout> | undefined;

/** While the user types: at most one `is_typing: true` every 2 s goes out (the gateway drops the rest anyway). */
export function typed(text: string): void {
  const socket = live.current;
  if (!socket) return;
  clearTimeout(pauseTimer);
  if (text === '') return stoppedTyping();
  pauseTimer = setTimeout(stoppedTyping, TYPING_PAUSE_MS);
  if (Date.now() - lastTypingAt < 2000) return;
  lastTypingAt = Date.now();
  socket.typing(true);
}

/** The user stopped (sent, cleared the input, or paused): the partner is told at once. */
export function stoppedTyping(): void {
  clearTimeout(pauseTimer);
  if (lastTypingAt === 0) return;
  lastTypingAt = 0;
  live.current?.typing(false);
}
