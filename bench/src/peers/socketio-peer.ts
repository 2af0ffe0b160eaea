/**
 * Peer 2: a Socket.IO server fed by the same NATS subscription shape: one subscription per chat
 * that has sockets, each NATS body emitted (as the frame string) to the room of the chat.
 * Prints `LISTENING <port>` once it accepts sockets.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { connect, type Subscription } from 'nats';
import { createSubjects } from '@chatroulette/contracts';

const subjects = createSubjects(process.env.NATS_NAMESPACE ?? '');
const nc = await connect({ servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','), name: 'bench-socketio-peer' });
const subs = new Map<string, Subscription>();
const dec = new TextDecoder();

const http = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404).end();
});
const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
const adapter = io.of('/').adapter;

adapter.on('create-room', (room: string) => {
  if (!room.startsWith('chat:')) return;
  const chatId = room.slice(5);
  const sub = nc.subscribe(subjects.chatEvents(chatId), {
    callback: (_err, msg) => {
      io.to(room).emit('event', dec.decode(msg.data));
    },
  });
  subs.set(room, sub);
});
adapter.on('delete-room', (room: string) => {
  subs.get(room)?.unsubscribe();
  subs.delete(room);
});

io.on('connection', (socket) => {
  const chatId = socket.handshake.query.chat_id;
  if (typeof chatId === 'string' && chatId) void socket.join(`chat:${chatId}`);
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = http.address();
  console.log(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}`);
});

process.on('SIGTERM', () => {
  io.close();
  void nc.drain().finally(() => process.exit(0));
});
