import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '@chatroulette/testing';
import { useDemo } from './demo-stack.js';
import { match } from './person.js';

/**
 * Ann reaches the gateway through a TCP relay whose link the test cuts (her network goes away, both
 * REST and the socket); Bob is connected directly and goes on talking. When the link is back, her
 * app shows every message once, in order, and what she sent during the cut arrives once.
 */
const demo = useDemo('demo-reconnect');
let proxy: TcpProxy;

// After the demo's own hooks: the relay starts once the gateway runs, and closes before it stops.
beforeAll(async () => {
  proxy = await startTcpProxy(demo.demo.stack.get('gateway').port);
});
afterAll(() => proxy?.close());

it('shows reconnecting while the link is cut, then connected, with no message lost or doubled on either side', async () => {
  const ann = await demo.open(`http://127.0.0.1:${proxy.port}/`);
  const bob = await demo.open();
  await ann.register('ann');
  await bob.register('bob');
  await match(ann, bob, 'music');
  await ann.send('before the cut');
  await bob.messageWith('before the cut');
  await ann.hasText('connection-status', 'connected');

  const states = await ann.recordTexts('connection-status');
  proxy.cut();
  await ann.hasText('connection-status', 'reconnecting');
  // Bob goes on; Ann writes too, and her app keeps the send going until the link is back.
  const fromBob = ['one', 'two', 'three', 'four', 'five'].map((w) => `bob during the cut: ${w}`);
  for (const text of fromBob) await bob.send(text);
  await ann.the('message-input').fill('ann during the cut');
  await ann.the('message-send').click();
  expect(await ann.text('connection-status')).toBe('reconnecting');

  proxy.restore();
  await ann.hasText('connection-status', 'connected', 20_000);
  for (const text of fromBob) await ann.messageWith(text);
  await bob.messageWith('ann during the cut', 30_000);
  await ann.messageWith('ann during the cut');
  await ann.send('after the cut');
  await bob.messageWith('after the cut');
  expect(await states()).toEqual(['connected', 'reconnecting', 'connected']);

  const [annList, bobList] = [await ann.messages(), await bob.messages()];
  const contents = annList.map((m) => m.content);
  expect(contents.filter((c) => c === 'ann during the cut')).toHaveLength(1);
  expect(new Set(annList.map((m) => m.id)).size).toBe(annList.length);
  // The same messages on both sides, in the same order: Bob's five in the order he sent them.
  expect(bobList.map((m) => m.id)).toEqual(annList.map((m) => m.id));
  expect(contents.filter((c) => c.startsWith('bob during the cut'))).toEqual(['one', 'two', 'three', 'four', 'five'].map((w) => `bob during the cut: ${w}`));
  expect(annList).toHaveLength(8);
  // The browser logs each refused handshake during the cut; nothing else went wrong.
  expect([...ann.problems.filter((p) => !/WebSocket connection to .* failed/.test(p)), ...bob.problems]).toEqual([]);
}, 60_000);
