import { useState } from 'preact/hooks';
import { openChat, showChat } from '../chat.js';
import { cancelSearch, roulette, startSearch } from '../roulette.js';
import { useStore } from '../store.js';

export function RoulettePanel() {
  const { status, busy, error, partner, chatId } = useStore(roulette);
  const chat = useStore(openChat);
  const [interests, setInterests] = useState('');

  return (
    <section class="card roulette">
      <div class="row spread">
        <h2>Roulette</h2>
        <span class={`pill search-${status}`} data-testid="search-status">
          {status}
        </span>
      </div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void startSearch(interests);
        }}
      >
        <input
          data-testid="search-interests"
          placeholder="Interests: music, films, chess"
          aria-label="Interests"
          value={interests}
          disabled={status !== 'idle'}
          onInput={(e) => setInterests(e.currentTarget.value)}
        />
        {status === 'searching' ? (
          <button type="button" data-testid="search-cancel" disabled={busy} onClick={() => void cancelSearch()}>
            Cancel
          </button>
        ) : (
          <button type="submit" class="primary" data-testid="search-start" disabled={busy || status === 'matched'}>
            Start
          </button>
        )}
      </form>
      {status === 'searching' && <p class="muted searching">Looking for someone{interests.trim() ? ` who likes ${interests.trim()}` : ''}…</p>}
      {status === 'matched' && partner && chatId && chat?.chatId !== chatId && (
        <button type="button" class="link" onClick={() => void showChat(chatId, { partner: { id: partner.id, username: partner.username, online: partner.is_online } })}>
          Back to your chat with {partner.username}
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
