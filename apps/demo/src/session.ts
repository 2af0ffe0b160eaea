import { ApiError } from '@chatroulette/client';
import { client, errorText } from './client.js';
import { Store } from './store.js';

export interface Me {
  id: string;
  username: string;
}

export interface SessionState {
  /** null: signed out (or not known yet while `restoring`). */
  me: Me | null;
  restoring: boolean;
  busy: boolean;
  error: string | null;
}

export const session = new Store<SessionState>({ me: null, restoring: client.token !== null, busy: false, error: null });

/** With a token kept from an earlier visit: who it is, or signed out when it is refused. */
export async function restore(): Promise<void> {
  if (client.token === null) return session.set({ ...session.value, restoring: false });
  try {
    const profile = await client.auth.profile();
    session.set({ me: { id: profile.id, username: profile.username }, restoring: false, busy: false, error: null });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) client.setToken(null);
    session.set({ me: null, restoring: false, busy: false, error: e instanceof ApiError && e.status === 401 ? null : errorText(e) });
  }
}

export async function signIn(kind: 'register' | 'login', username: string, password: string): Promise<void> {
  session.set({ ...session.value, busy: true, error: null });
  try {
    const { user } = kind === 'register' ? await client.auth.register({ username, password }) : await client.auth.login({ username, password });
    session.set({ me: { id: user.id, username: user.username }, restoring: false, busy: false, error: null });
  } catch (e) {
    session.set({ ...session.value, busy: false, error: errorText(e) });
  }
}

export async function signOut(): Promise<void> {
  // The token is forgotten even when the server cannot be told (it then expires by itself).
  await client.auth.logout().catch(() => client.setToken(null));
  session.set({ me: null, restoring: false, busy: false, error: null });
}

/** The server refused the token (expired, logged out elsewhere): back to the sign-in form. */
export function sessionEnded(): void {
  client.setToken(null);
  session.set({ me: null, restoring: false, busy: false, error: 'Your session has ended. Please log in again.' });
}
