import { useLayoutEffect, useRef } from 'preact/hooks';
import type { MessageObject } from '@chatroulette/client';
import { shown } from '../chat.js';
import { MessageItem } from './message-item.js';

/**
 * The messages, oldest first, kept scrolled to the newest while the user is at the bottom. Others'
 * messages are marked read when at least half of one is on screen in a visible tab.
 */
export function MessageList({ chatId, messages, meId }: { chatId: string; messages: MessageObject[]; meId: string }) {
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const observer = useRef<IntersectionObserver | null>(null);

  // A layout effect, declared first: the observer exists before the first messages are observed below.
  useLayoutEffect(() => {
    const seen = new IntersectionObserver(
      (entries) => shown(entries.filter((e) => e.isIntersecting).map((e) => (e.target as HTMLElement).dataset.messageId!)),
      { root: list.current, threshold: 0.5 },
    );
    observer.current = seen;
    // Back in a tab that was hidden: what is on screen now has been seen.
    const onVisible = () => document.visibilityState === 'visible' && shown(visibleIds(list.current));
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      seen.disconnect();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    for (const item of el.querySelectorAll<HTMLElement>('.message.theirs')) observer.current?.observe(item);
  }, [messages]);

  return (
    <ol
      class="messages"
      data-testid="message-list"
      data-chat-id={chatId}
      ref={list}
      aria-live="polite"
      // An image or video that finishes loading grows the list: stay at the newest.
      onLoadCapture={() => atBottom.current && list.current && (list.current.scrollTop = list.current.scrollHeight)}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {messages.length === 0 && <li class="muted empty">No messages yet. Say hello!</li>}
      {messages.map((m) => (
        <MessageItem key={m.id} message={m} mine={m.user_id === meId} meId={meId} />
      ))}
    </ol>
  );
}

function visibleIds(root: HTMLElement | null): string[] {
  if (!root) return [];
  const box = root.getBoundingClientRect();
  return [...root.querySelectorAll<HTMLElement>('.message.theirs')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  }).map((el) => el.dataset.messageId!);
}
