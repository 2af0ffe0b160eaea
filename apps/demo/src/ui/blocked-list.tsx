import { blocked, unblock } from '../safety.js';
import { useStore } from '../store.js';

/** Whom the user blocks, each with an unblock button; nothing while the list is empty. */
export function BlockedList() {
  const list = useStore(blocked);
  if (list.length === 0) return null;
  return (
    <details class="card blocked">
      <summary>Blocked ({list.length})</summary>
      <ul data-testid="blocked-list">
        {list.map((b) => (
          <li key={b.user_id} class="row spread">
            <span>{b.username}</span>
            <button type="button" class="link" onClick={() => void unblock(b.user_id)}>
              Unblock
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
