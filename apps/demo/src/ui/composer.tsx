import { useRef, useState } from 'preact/hooks';
import { sendFile, sendText } from '../chat.js';
import { typed } from '../typing.js';

export function Composer({ disabled }: { disabled: boolean }) {
  const [text, setText] = useState('');
  const [uploading, setUploading] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async () => {
    const content = text;
    if (content.trim() === '') return;
    setText('');
    // Kept when the send fails for good, so nothing typed is lost.
    if (!(await sendText(content))) setText(content);
    input.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label class={uploading ? 'attach busy' : 'attach'} title="Send a photo, a video or a voice file">
        {uploading ? <span aria-hidden="true">…</span> : <Clip />}
        <input
          type="file"
          data-testid="media-input"
          accept="image/*,video/*,audio/*"
          disabled={disabled || uploading}
          onChange={async (e) => {
            const el = e.currentTarget;
            const file = el.files?.[0];
            if (!file) return;
            setUploading(true);
            await sendFile(file);
            setUploading(false);
            el.value = '';
          }}
        />
      </label>
      <input
        ref={input}
        data-testid="message-input"
        placeholder={disabled ? 'This chat has ended' : 'Write a message'}
        aria-label="Message"
        autocomplete="off"
        maxLength={4096}
        value={text}
        disabled={disabled}
        onInput={(e) => {
          setText(e.currentTarget.value);
          typed(e.currentTarget.value);
        }}
      />
      <button type="submit" class="primary" data-testid="message-send" disabled={disabled || text.trim() === ''}>
        Send
      </button>
    </form>
  );
}

function Clip() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M21 12.5l-8.5 8.5a5.5 5.5 0 0 1-7.8-7.8l9.2-9.2a3.7 3.7 0 0 1 5.2 5.2l-9.2 9.2a1.8 1.8 0 0 1-2.6-2.6l8.5-8.5" />
    </svg>
  );
}
