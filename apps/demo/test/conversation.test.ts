import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo, type DemoStack } from './demo-stack.js';
import { match, Person } from './person.js';

let demo: DemoStack;
const people: Person[] = [];

beforeAll(async () => {
  demo = await startDemo('demo-conversation');
});
afterAll(async () => {
  await Promise.all(people.map((p) => p.close()));
  await demo?.destroy();
});

it('two people register, meet and chat', async () => {
  const [ann, bob] = await Promise.all([Person.open(demo.browser, demo.url), Person.open(demo.browser, demo.url)]);
  people.push(ann, bob);
  await ann.register('ann');
  await bob.register('bob');
  await Promise.all([ann.hasText('connection-status', 'connected'), bob.hasText('connection-status', 'connected')]);
  await match(ann, bob);
  const id = await ann.send('hello bob');
  await bob.messageWith('hello bob');
  await ann.page.screenshot({ path: '/tmp/demo-ann.png' });
  await bob.page.screenshot({ path: '/tmp/demo-bob.png' });
  expect(id).not.toBe('');
  expect([...ann.problems, ...bob.problems]).toEqual([]);
}, 60_000);
