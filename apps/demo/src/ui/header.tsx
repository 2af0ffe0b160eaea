import { connection } from '../live.js';
import { session, signOut } from '../session.js';
import { useStore } from '../store.js';

export function Header() {
  const status = useStore(connection);
  const { me } = useStore(session);
  return (
    <header class="topbar">
      <h1 class="brand">Chatroulette</h1>
      <span class={`pill conn-${status}`} data-testid="connection-status" title="Connection to the server">
        {status}
      </span>
      {me && (
        <span class="me">
          <span data-testid="me-username">{me.username}</span>
          <button type="button" class="link" data-testid="logout" onClick={() => void signOut()}>
            Log out
          </button>
        </span>
      )}
    </header>
  );
}
