/**
 * Peer 1: a bare uWebSockets.js pub/sub server. No auth, no JSON: it subscribes to the same NATS
 * subjects as the gateway (one subscription per chat that has sockets) and publishes the body
 * bytes to the uWS topic of the chat. Prints `LISTENING <port>` once it accepts sockets.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { connect, type Subscription } from 'nats';
import { createSubjects } from '@chatroulette/contracts';

type Uws = typeof import('uWebSockets.js');
const require = createRequire(import.meta.url);
const uws = require('uWebSockets.js') as Uws;
const binary = path.join(
  path.dirname(require.resolve('uWebSockets.js')),
  '..',
  'binaries',
  `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
);
let native = false;
try {
  native = require(binary) === uws;
} catch {
  native = false;
}

const subjects = createSubjects(process.env.NATS_NAMESPACE ?? '');
const nc = await connect({ servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','), name: 'bench-uws-peer' });
const chats = new Map<string, { sockets: number; sub: Subscription }>();

interface UserData {
  chatId: string;
}

const app = uws.App();
app.ws<UserData>('/*', {
  compression: uws.DISABLED,
  maxPayloadLength: 16 * 1024,
  maxBackpressure: 1024 * 1024,
  idleTimeout: 120,
  upgrade: (res, req, context) => {
    const chatId = req.getQuery('chat_id') ?? '';
    res.upgrade<UserData>(
      { chatId },
      req.getHeader('sec-websocket-key'),
      req.getHeader('sec-websocket-protocol'),
      req.getHeader('sec-websocket-extensions'),
      context,
    );
  },
  open: (ws) => {
    const { chatId } = ws.getUserData();
    if (!chatId) return;
    ws.subscribe(`chat:${chatId}`);
    const entry = chats.get(chatId);
    if (entry) entry.sockets++;
    else {
      const topic = `chat:${chatId}`;
      const sub = nc.subscribe(subjects.chatEvents(chatId), {
        callback: (_err, msg) => {
          app.publish(topic, msg.data, false);
        },
      });
      chats.set(chatId, { sockets: 1, sub });
    }
  },
  close: (ws) => {
    const { chatId } = ws.getUserData();
    const entry = chats.get(chatId);
    if (!entry) return;
    if (--entry.sockets === 0) {
      entry.sub.unsubscribe();
      chats.delete(chatId);
    }
  },
});
app.get('/healthz', (res) => {
  res.end('ok');
});

app.listen('127.0.0.1', Number(process.env.PORT ?? 0), (listenSocket) => {
  if (!listenSocket) {
    console.error('uws-peer: could not listen');
    process.exit(1);
  }
  console.log(`LISTENING ${uws.us_socket_local_port(listenSocket)} ${native ? 'native' : 'fallback'}`);
});

process.on('SIGTERM', () => {
  void nc.drain().finally(() => process.exit(0));
});
