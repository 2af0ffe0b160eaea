import { expect, it } from 'vitest';
import { useDemo } from './demo-stack.js';
import { match, PASSWORD } from './person.js';

/**
 * Two people in two browser contexts, through the demo app served by the gateway and nothing else:
 * they register, meet on a shared interest and use every part of the chat.
 */
const demo = useDemo('demo-conversation');

/** A PNG of 2 x 1 pixels, as a file picked in the media input. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8AAQv8BD/kD/YURmXYAAAAASUVORK5CYII=', 'base64');

it('two people register, meet, and chat with every feature: send, typing, read, like, edit, delete, media, presence, save, the chat list', async () => {
  const [ann, bob] = await Promise.all([demo.open(), demo.open()]);
  expect(await ann.text('connection-status')).toBe('offline');

  // A wrong login is told, then both register and are connected.
  await bob.the('auth-username').fill('nobody-here');
  await bob.the('auth-password').fill(PASSWORD);
  await bob.the('auth-login').click();
  await bob.the('auth-error').waitFor();
  await ann.register('ann');
  await bob.register('bob');
  await Promise.all([ann.hasText('connection-status', 'connected'), bob.hasText('connection-status', 'connected')]);
  expect(await ann.text('search-status')).toBe('idle');

  await match(ann, bob);
  await Promise.all([ann.hasText('partner-status', 'online'), bob.hasText('partner-status', 'online')]);
  const chatId = (await ann.the('message-list').getAttribute('data-chat-id')) ?? '';
  expect(await bob.the('message-list').getAttribute('data-chat-id')).toBe(chatId);

  // Typing shows on the other side while it lasts; the message it ends with clears it.
  await bob.the('message-input').pressSequentially('hi an', { delay: 20 });
  await ann.the('typing-indicator').waitFor({ state: 'visible' });
  expect(await ann.text('typing-indicator')).toContain(bob.username);
  await bob.the('message-input').fill('hi ann');
  await bob.the('message-send').click();
  await ann.messageWith('hi ann');
  await ann.the('typing-indicator').waitFor({ state: 'hidden' });

  // Sent, shown to bob, marked read by his app: ann sees it read.
  const hello = await ann.send('hello bob');
  await bob.messageWith('hello bob');
  await ann.until('hello read', async () => (await ann.message(hello).getByTestId('message-status').textContent()) === 'read');
  const shownToBob = (await bob.messages()).find((m) => m.id === hello);
  expect(shownToBob).toMatchObject({ author: ann.username, content: 'hello bob' });

  // A like counts on both sides, an unlike takes it back.
  await bob.message(hello).getByTestId('message-like').click();
  for (const p of [ann, bob]) await p.until('one like', async () => (await p.message(hello).getByTestId('message-like').textContent())?.includes('1') === true);
  await bob.message(hello).getByTestId('message-like').click();
  for (const p of [ann, bob]) await p.until('no like', async () => (await p.message(hello).getByTestId('message-like').textContent())?.includes('0') === true);

  // An edit changes the text on both sides and its status.
  await ann.message(hello).getByTestId('message-edit').click();
  await ann.the('message-edit-input').fill('hello bob, edited');
  await ann.the('message-edit-save').click();
  await bob.until('the edit', async () => (await bob.message(hello).getByTestId('message-content').textContent()) === 'hello bob, edited');
  await ann.until('edited status', async () => (await ann.message(hello).getByTestId('message-status').textContent()) === 'edited');

  // A delete removes it from both lists.
  const oops = await ann.send('oops');
  await bob.messageWith('oops');
  await ann.message(oops).getByTestId('message-delete').click();
  for (const p of [ann, bob]) await p.until('oops gone', async () => (await p.messages()).every((m) => m.id !== oops));

  // A picked file is uploaded and sent; bob's browser loads the image from the gateway.
  await ann.the('media-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
  await bob.until('the image', async () => (await bob.messages()).some((m) => m.media?.includes('/uploads/') === true));
  const image = bob.page.locator('[data-testid="message-content"] img');
  await bob.until('the image decoded', async () => (await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) === 2);

  // Bob's page closes: ann sees him offline, and her message stays sent. He comes back (the app
  // restores his session and his match): online, he has it, and it is read.
  await bob.page.close();
  await ann.hasText('partner-status', 'offline');
  const away = await ann.send('while you were away');
  expect(await ann.message(away).getByTestId('message-status').textContent()).toBe('sent');
  await bob.reopen(demo.demo.url);
  await Promise.all([bob.hasText('search-status', 'matched'), ann.hasText('partner-status', 'online')]);
  await bob.messageWith('while you were away');
  await ann.until('away read', async () => (await ann.message(away).getByTestId('message-status').textContent()) === 'read');

  // Saved, the chat is in the list and outlives the match: after a skip both are idle, and the
  // chat opens again from the list with its history, still open for messages.
  await ann.the('save').click();
  await ann.until('the saved chat listed', async () => (await ann.page.locator(`[data-testid="chat-list"] [data-testid="chat-item"][data-chat-id="${chatId}"]`).count()) === 1);
  await ann.the('skip').click();
  await Promise.all([ann.hasText('search-status', 'idle'), bob.hasText('search-status', 'idle')]);
  await ann.page.locator(`[data-testid="chat-item"][data-chat-id="${chatId}"] button`).click();
  await ann.messageWith('while you were away');
  await bob.until('bob lists it too', async () => (await bob.page.locator(`[data-testid="chat-item"][data-chat-id="${chatId}"]`).count()) === 1);
  const after = await ann.send('still here after the skip');
  await bob.messageWith('still here after the skip');

  // Every message once on each side, in the same order.
  const [annIds, bobIds] = [(await ann.messages()).map((m) => m.id), (await bob.messages()).map((m) => m.id)];
  expect(new Set(annIds).size).toBe(annIds.length);
  expect(bobIds).toEqual(annIds);
  expect(annIds).toContain(after);
  expect([...ann.problems, ...bob.problems]).toEqual([]);
  expect([ann.failed, bob.failed]).toEqual([[], ['401 POST /api/v1/auth/login']]);
}, 60_000);
