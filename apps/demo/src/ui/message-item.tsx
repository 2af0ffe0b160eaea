import type { MessageObject } from '@chatroulette/client';
import { useState } from 'preact/hooks';
import { client } from '../client.js';
import { deleteMessage, editMessage, toggleLike } from '../chat.js';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function MessageItem({ message: m, mine, meId }: { message: MessageObject; mine: boolean; meId: string }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(m.content);
  const liked = m.liked_by.includes(meId);
  const save = async () => {
    if (await editMessage(m.id, draft)) setEditing(false);
  };

  return (
    <li class={mine ? 'message mine' : 'message theirs'} data-testid="message" data-message-id={m.id}>
      <span class="author" data-testid="message-author">
        {m.user.username}
      </span>
      {editing ? (
        <form
          class="edit row"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input data-testid="message-edit-input" aria-label="Edit the message" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" class="primary" data-testid="message-edit-save" disabled={draft.trim() === ''}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div class="bubble" data-testid="message-content">
          <Content message={m} />
        </div>
      )}
      <div class="meta">
        <time dateTime={m.created_at}>{time.format(new Date(m.created_at))}</time>
        <span class={`status status-${m.status}`} data-testid="message-status">
          {m.status}
        </span>
        <button type="button" class={liked ? 'like liked' : 'like'} data-testid="message-like" aria-pressed={liked} title={liked ? 'Unlike' : 'Like'} onClick={() => void toggleLike(m)}>
          ♥ {m.likes_count}
        </button>
        {mine && !editing && (
          <>
            {m.type === 'text' && (
              <button
                type="button"
                class="link"
                data-testid="message-edit"
                onClick={() => {
                  setDraft(m.content);
                  setEditing(true);
                }}
              >
                Edit
              </button>
            )}
            <button type="button" class="link danger" data-testid="message-delete" onClick={() => void deleteMessage(m.id)}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/** Text as text (never as HTML); media from the backend's /uploads by its type. */
function Content({ message: m }: { message: MessageObject }) {
  if (m.type === 'text') return <>{m.content}</>;
  const src = client.media.url(m.media_url);
  if (m.type === 'video') return <video src={src} controls preload="metadata" playsInline />;
  if (m.type === 'voice') return <audio src={src} controls preload="metadata" />;
  return <img src={src} alt={m.content || `${m.type} from ${m.user.username}`} loading="lazy" />;
}
