import { useEffect } from 'preact/hooks';
import { openChat } from '../chat.js';
import { refreshChats } from '../chats.js';
import { live } from '../live.js';
import { refreshRoulette } from '../roulette.js';
import { refreshBlocks } from '../safety.js';
import { restore, session } from '../session.js';
import { useStore } from '../store.js';
import { AuthForm } from './auth-form.js';
import { BlockedList } from './blocked-list.js';
import { ChatList } from './chat-list.js';
import { ChatPane } from './chat-pane.js';
import { Header } from './header.js';
import { RoulettePanel } from './roulette-panel.js';

export function App() {
  const { me, restoring } = useStore(session);
  const chat = useStore(openChat);

  useEffect(() => void restore(), []);
  // Signed in: a socket at once (the connection state shows), then where the user stands.
  useEffect(() => {
    if (!me) return live.stop();
    if (!live.current) live.use(null);
    void refreshRoulette();
    void refreshChats();
    void refreshBlocks();
  }, [me?.id]);

  return (
    <div class="app">
      <Header />
      {restoring ? (
        <p class="centered muted">Loading…</p>
      ) : !me ? (
        <AuthForm />
      ) : (
        <main class={chat ? 'layout has-chat' : 'layout'}>
          <aside class="sidebar">
            <RoulettePanel />
            <ChatList />
            <BlockedList />
          </aside>
          <section class="content">{chat ? <ChatPane chat={chat} /> : <Welcome />}</section>
        </main>
      )}
    </div>
  );
}

function Welcome() {
  return (
    <div class="welcome">
      <h2>Meet someone new</h2>
      <p class="muted">Type a few interests (or none) and press Start. When someone is found, you chat here: messages, photos and video, a video call, and you can save the chat to keep it.</p>
    </div>
  );
}
