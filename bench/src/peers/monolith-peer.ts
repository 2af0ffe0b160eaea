/**
 * Peer 3: the monolith a team would write first, for the end-to-end path. One process: express
 * for POST /api/v1/chats/:id/messages, pg, ws on the same port. A send is one transaction (begin,
 * membership check, the chat's seq bumped, the message inserted, commit), then the new_message
 * frame is sent to every socket of the chat in this process. The token check is an HS256 JWT
 * verify (jsonwebtoken) on every request and upgrade: the usual first choice, and about what a
 * cache hit of the gateway's ES256 check costs. Its own tables in its own database (created here);
 * the bench seeds the same users and chats through POST /bench/seed, which answers their tokens.
 * Prints `LISTENING <port>` once it accepts requests.
 */
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import express from 'express';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import { createMonolithSchema } from './monolith-schema.js';

// A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM key and throws,
// about 1 ms of CPU per sign or verify (seen in a --cpu-prof of this process).
const secret = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? 'bench-monolith-secret'));
const database = process.env.MONOLITH_DATABASE ?? 'chatroulette_bench_monolith';
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

await createMonolithSchema(serverUrl, database);
const pool = new pg.Pool({ connectionString: serverUrl, database, max: 20 });
/** The sockets of each chat, in this process. */
const rooms = new Map<string, Set<WebSocket>>();

function userOf(token: string | undefined): string | null {
  if (!token) return null;
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
    return typeof claims === 'object' && typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

const app = express();

app.post('/bench/seed', express.json({ limit: '16mb' }), async (req, res) => {
  const chats = req.body.chats as { id: string; user_ids: string[] }[];
  const users = [...new Set(chats.flatMap((c) => c.user_ids))];
  await pool.query('insert into users (id) select unnest($1::uuid[]) on conflict do nothing', [users]);
  await pool.query('insert into chats (id) select unnest($1::uuid[]) on conflict do nothing', [chats.map((c) => c.id)]);
  await pool.query('insert into participants (chat_id, user_id) select * from unnest($1::uuid[], $2::uuid[]) on conflict do nothing', [
    chats.flatMap((c) => c.user_ids.map(() => c.id)),
    chats.flatMap((c) => c.user_ids),
  ]);
  res.json({ tokens: Object.fromEntries(users.map((id) => [id, jwt.sign({}, secret, { algorithm: 'HS256', subject: id, expiresIn: '2h' })])) });
});

app.post('/api/v1/chats/:chatId/messages', express.json({ limit: '16kb' }), async (req, res) => {
  const userId = userOf(req.headers.authorization?.replace(/^Bearer /, ''));
  if (!userId) return void res.status(401).json({ error: 'unauthorized' });
  const { chatId } = req.params;
  const { type, content } = (req.body ?? {}) as { type?: unknown; content?: unknown };
  if (type !== 'text' || typeof content !== 'string' || !content || content.length > 4096) return void res.status(400).json({ error: 'bad_request' });
  const client = await pool.connect();
  let message;
  try {
    await client.query('begin');
    const member = await client.query('select 1 from participants where chat_id = $1 and user_id = $2', [chatId, userId]);
    if (member.rowCount === 0) {
      await client.query('rollback');
      return void res.status(403).json({ error: 'not_participant' });
    }
    const { rows: chat } = await client.query<{ last_seq: string }>('update chats set last_seq = last_seq + 1 where id = $1 returning last_seq', [chatId]);
    const seq = Number(chat[0]!.last_seq);
    const { rows } = await client.query<{ id: string; created_at: Date }>(
      'insert into messages (chat_id, seq, user_id, type, content) values ($1, $2, $3, $4, $5) returning id, created_at',
      [chatId, seq, userId, type, content],
    );
    await client.query('commit');
    message = { id: rows[0]!.id, chat_id: chatId, seq, user_id: userId, type, content, created_at: rows[0]!.created_at.toISOString() };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  const frame = JSON.stringify({ type: 'new_message', chat_id: chatId, seq: message.seq, payload: message });
  for (const ws of rooms.get(chatId) ?? []) ws.send(frame);
  res.status(201).json(message);
});

const server = createServer(app);
// Keep-alive connections stay open between the bench's steps, as behind a load balancer.
server.keepAliveTimeout = 120_000;
const wss = new WebSocketServer({ server, path: '/api/v1/ws' });
wss.on('connection', (ws, req) => {
  const url = new URL(req.url ?? '', 'http://x');
  const userId = userOf(url.searchParams.get('token') ?? undefined);
  const chatId = url.searchParams.get('chat_id') ?? '';
  if (!userId) return ws.close(4401, 'unauthorized');
  void pool.query('select 1 from participants where chat_id = $1 and user_id = $2', [chatId, userId]).then(
    ({ rowCount }) => {
      if (!rowCount) return ws.close(4403, 'not a participant');
      const room = rooms.get(chatId) ?? rooms.set(chatId, new Set()).get(chatId)!;
      room.add(ws);
      ws.on('close', () => {
        room.delete(ws);
        if (room.size === 0) rooms.delete(chatId);
      });
    },
    () => ws.close(1011, 'membership check failed'),
  );
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}`);
});

process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close();
  void pool.end().finally(() => process.exit(0));
});
