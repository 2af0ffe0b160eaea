import type { MessageObject } from '@chatroulette/client';
import { showChat, openChat } from '../chat.js';
import { chats } from '../chats.js';
import { session } from '../session.js';
import { useStore } from '../store.js';

export function ChatList() {
  const list = useStore(chats);
  const { me } = useStore(session);
  const open = useStore(openChat);
  return (
    <section class="card chats">
      <h2>Your chats</h2>
      {list.length === 0 && <p class="muted">Chats you save appear here.</p>}
      <ul class="chat-list" data-testid="chat-list">
        {list.map((c) => {
          const others = c.participants.filter((p) => p.user_id !== me?.id).map((p) => p.username);
          return (
            <li key={c.id} data-testid="chat-item" data-chat-id={c.id}>
              <button type="button" class={open?.chatId === c.id ? 'chat-link current' : 'chat-link'} onClick={() => void showChat(c.id)}>
                <span class="avatar" aria-hidden="true">
                  {(others[0] ?? '?').slice(0, 1).toUpperCase()}
                </span>
                <span class="chat-text">
                  <span class="chat-name">{others.join(', ') || c.name || 'Chat'}</span>
                  <span class="chat-last muted">{lastLine(c.last_message)}</span>
                </span>
                {c.unread_count > 0 && open?.chatId !== c.id ? (
                  <span class="unread" title="Unread messages">
                    {c.unread_count}
                  </span>
                ) : (
                  c.type === 'saved' && <span class="tag">saved</span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function lastLine(m: MessageObject | null): string {
  if (!m) return 'No messages yet';
  const what = m.type === 'text' ? m.content : `a ${m.type === 'voice' ? 'voice message' : m.type}`;
  return `${m.user.username}: ${what}`;
}
