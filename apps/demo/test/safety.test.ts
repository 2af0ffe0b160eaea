import { expect, it } from 'vitest';
import { useDemo } from './demo-stack.js';
import { match, type Person } from './person.js';

/** Three people in three browser contexts: a block, a report and a skip, each ending a match. */
const demo = useDemo('demo-safety');

async function search(p: Person, interest: string): Promise<void> {
  await p.the('search-interests').fill(interest);
  await p.the('search-start').click();
}

it('blocks (the pair is never matched again), reports with a reason of the contract, and skips', async () => {
  const [ann, bob, cara] = await Promise.all([demo.open(), demo.open(), demo.open()]);
  await ann.register('ann');
  await bob.register('bob');
  await cara.register('cara');

  // Ann blocks Bob: the match ends on both sides, and Bob is in her blocked list.
  await match(ann, bob, 'safety');
  await ann.the('block').click();
  await Promise.all([ann.hasText('search-status', 'idle'), bob.hasText('search-status', 'idle')]);
  await ann.until('Bob listed as blocked', async () => (await ann.text('blocked-list')).includes(bob.username));

  // All three search, Ann first, then Bob: the two are never paired, so Cara, last, gets Ann.
  await search(ann, 'safety');
  await ann.hasText('search-status', 'searching');
  await search(bob, 'safety');
  await bob.hasText('search-status', 'searching');
  await search(cara, 'safety');
  await Promise.all([ann.hasText('partner-username', cara.username), cara.hasText('partner-username', ann.username)]);
  expect(await bob.text('search-status')).toBe('searching');

  // Cara reports Ann with one of the contract's reasons: the match ends for both.
  const reasons = await cara.the('report-reason').locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
  expect(reasons).toEqual(['spam', 'harassment', 'nudity', 'underage', 'violence', 'other']);
  await cara.the('report-reason').selectOption('harassment');
  await cara.the('report-submit').click();
  await Promise.all([cara.hasText('search-status', 'idle'), ann.hasText('search-status', 'idle')]);

  // Bob, still waiting, meets Cara; she skips, and both are idle again.
  await search(cara, 'safety');
  await Promise.all([bob.hasText('partner-username', cara.username), cara.hasText('partner-username', bob.username)]);
  await cara.the('skip').click();
  await Promise.all([cara.hasText('search-status', 'idle'), bob.hasText('search-status', 'idle')]);

  // Unblocked, Bob leaves Ann's list.
  await ann.page.getByText('Blocked (1)').click();
  await ann.page.getByRole('button', { name: 'Unblock' }).click();
  await ann.the('blocked-list').waitFor({ state: 'detached' });
  for (const p of [ann, bob, cara]) expect(p.problems).toEqual([]);
}, 60_000);
