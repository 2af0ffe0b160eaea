import { call, videoCall } from '../call.js';
import { leaveChat, type ChatState } from '../chat.js';
import { roulette, save, skip } from '../roulette.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { CallPanel } from './call-panel.js';
import { Composer } from './composer.js';
import { MessageList } from './message-list.js';
import { SafetyActions } from './safety-actions.js';

export function ChatPane({ chat }: { chat: ChatState }) {
  const { me } = useStore(session);
  const match = useStore(roulette);
  const { phase } = useStore(call);
  const live = match.status === 'matched' && match.chatId === chat.chatId;
  const saved = chat.chat?.type === 'saved';
  const partner = chat.partner;

  return (
    <div class="chat">
      <div class="chat-head">
        <button type="button" class="back" aria-label="Back to the start" onClick={leaveChat}>
          ‹
        </button>
        <div class="who">
          <strong data-testid="partner-username">{partner?.username ?? '…'}</strong>
          <span class={partner?.online ? 'presence online' : 'presence offline'} data-testid="partner-status">
            {partner?.online ? 'online' : 'offline'}
          </span>
        </div>
        <div class="actions">
          <button type="button" class={phase === 'incoming' ? 'primary ring' : ''} data-testid="video-start" disabled={!partner || chat.closed || phase === 'calling' || phase === 'connected'} onClick={() => void videoCall.start()}>
            {phase === 'incoming' ? 'Answer' : 'Video call'}
          </button>
          {live && !saved && (
            <button type="button" data-testid="save" onClick={() => void save()}>
              Save
            </button>
          )}
          {live && (
            <button type="button" data-testid="skip" onClick={() => void skip()}>
              Skip
            </button>
          )}
          {partner && <SafetyActions canReport={chat.chat?.type !== 'private'} />}
        </div>
      </div>
      <CallPanel />
      {chat.notice && (
        <p class="notice">
          {chat.notice}
          {chat.closed && (
            <button type="button" class="link" onClick={leaveChat}>
              Find someone new
            </button>
          )}
        </p>
      )}
      {chat.error && (
        <p class="error" role="alert">
          {chat.error}
        </p>
      )}
      {chat.loading ? <p class="muted centered">Loading the chat…</p> : <MessageList chatId={chat.chatId} messages={chat.messages} meId={me?.id ?? ''} />}
      <div class="typing-slot">
        {chat.typing && (
          <span class="typing" data-testid="typing-indicator">
            {chat.typing} is typing…
          </span>
        )}
      </div>
      <Composer disabled={chat.closed || chat.loading} />
    </div>
  );
}
