import { ApiError, ConnectionError, createClient } from '@chatroulette/client';

const tokenKey = 'chatroulette.token';

/**
 * The app's one client of the backend, on the page's own origin (the gateway serves the app). Its
 * token is kept in localStorage, so a reload (or a second tab) stays signed in.
 */
export const client = createClient({
  baseUrl: location.origin,
  token: localStorage.getItem(tokenKey),
  socket: { reconnect: { initialDelayMs: 250, maxDelayMs: 5000 } },
});

client.onToken((token) => (token ? localStorage.setItem(tokenKey, token) : localStorage.removeItem(tokenKey)));

/** A line for the user from any failure of a call. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.retryAfter ? `${e.message} (try again in ${e.retryAfter} s)` : e.message;
  if (e instanceof ConnectionError) return 'The server cannot be reached. Check the connection and try again.';
  return e instanceof Error ? e.message : String(e);
}
