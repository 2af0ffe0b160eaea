import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerUser, repoRoot, startStack, testScope, uniqueName, type Stack } from '@chatroulette/testing';

const run = promisify(execFile);
const scope = testScope('client-package');
let stack: Stack;

beforeAll(async () => {
  // The package as `npm ci` leaves it (its prepare script): built again here, so the test sees this tree's source.
  await run('npx', ['tsc', '-p', 'clients/js/tsconfig.build.json'], { cwd: repoRoot });
  stack = await startStack({ infra: scope, instances: [['auth', 'messages'], 'gateway'] });
}, 120_000);
afterAll(() => stack?.destroy());

/** A script for plain Node (no TypeScript loader): the built ESM through the package's exports, `ws` found by itself. */
const script = `
import { createClient } from '@chatroulette/client';
const client = createClient({ baseUrl: process.env.BASE });
await client.auth.register({ username: process.env.NAME, password: 'correct horse battery' });
const chat = await client.chats.create({ participant_ids: [process.env.OTHER] });
const socket = client.socket({ chatId: chat.id });
const got = new Promise((resolve) => socket.on('new_message', (m, frame) => resolve({ content: m.content, seq: frame.seq })));
await new Promise((resolve) => socket.on('state', (s) => s === 'open' && resolve()));
const sent = await socket.send({ type: 'text', content: 'from plain node' });
console.log(JSON.stringify({ sent: sent.content, got: await got, version: process.version, globalWebSocket: typeof globalThis.WebSocket }));
socket.close();
`;

it('the built package runs in plain Node 20: ESM through its exports map, the ws package loaded by itself', async () => {
  const other = await registerUser(stack.get('gateway').url, 'pkg');
  const env = { ...process.env, BASE: stack.get('gateway').url, NAME: uniqueName('pkg'), OTHER: other.id };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, env, timeout: 30_000 });
  const out = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(out).toEqual({ sent: 'from plain node', got: { content: 'from plain node', seq: 1 }, version: expect.stringMatching(/^v20\./), globalWebSocket: 'undefined' });
}, 60_000);
