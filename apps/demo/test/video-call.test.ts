import { expect, it } from 'vitest';
import { useDemo } from './demo-stack.js';
import { match, type Person } from './person.js';

/**
 * A video call in the demo app between two browser contexts with Chromium's fake camera: the
 * signals go through the gateway as rtc_signal frames, the media browser to browser.
 */
const demo = useDemo('demo-video', { video: true });

/** The remote video plays: frames decoded with a size, and its clock running. */
async function remotePlays(p: Person): Promise<void> {
  const video = p.the('video-remote');
  const state = () =>
    video.evaluate((el) => {
      const v = el as unknown as { videoWidth: number; currentTime: number; paused: boolean; readyState: number };
      return { width: v.videoWidth, time: v.currentTime, paused: v.paused, ready: v.readyState };
    });
  await p.until('the remote video has frames', async () => {
    const s = await state();
    return s.width > 0 && s.ready >= 2 && !s.paused;
  }, 20_000);
  const first = (await state()).time;
  await p.until('the remote video runs', async () => (await state()).time > first, 10_000);
}

it('calls: ann starts, bob answers, each sees the other’s camera, and a hang-up ends it on both sides', async () => {
  const [ann, bob] = await Promise.all([demo.open(), demo.open()]);
  await ann.register('ann');
  await bob.register('bob');
  await match(ann, bob, 'film');

  await ann.the('video-start').click();
  await bob.hasText('video-start', 'Answer');
  await bob.the('video-start').click();
  await Promise.all([remotePlays(ann), remotePlays(bob)]);
  // Each side's own camera is shown too, muted.
  for (const p of [ann, bob]) expect(await p.the('video-local').evaluate((el) => (el as unknown as { muted: boolean; videoWidth: number }).muted)).toBe(true);

  await bob.the('video-hangup').click();
  await Promise.all([ann.the('video-remote').waitFor({ state: 'detached' }), bob.the('video-remote').waitFor({ state: 'detached' })]);
  expect(await ann.text('video-start')).toBe('Video call');
  expect([...ann.problems, ...bob.problems]).toEqual([]);
  expect([...ann.failed, ...bob.failed]).toEqual([]);
}, 60_000);
