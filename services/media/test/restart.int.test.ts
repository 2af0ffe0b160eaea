import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createChat, registerUser, startStack, testScope, type Stack } from '@chatroulette/testing';
import { fileForm, mp4Of, upload } from './helpers.js';

const scope = testScope('media-restart');
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', { service: 'media', run: 'process' }, 'gateway'] });
});

afterAll(async () => {
  await stack?.destroy();
});

describe('a media instance killed and restarted', () => {
  it('still serves what was uploaded before: upload, message, SIGKILL, restart, the same bytes and type', async () => {
    const gw = stack.get('gateway').url;
    const [alice, bob] = await Promise.all([registerUser(gw, 'alice'), registerUser(gw, 'bob')]);
    const video = mp4Of(700 * 1024);
    for (let i = 32; i < video.length; i++) video[i] = (i * 7) % 256;
    const form = fileForm(video, 'clip.mov', 'video/quicktime');
    const up = await upload(gw, alice.token, form.body, form.contentType);
    expect(up).toMatchObject({ status: 201, body: { media_type: 'video', content_type: 'video/mp4', size: video.length } });
    const chat = await createChat(gw, alice, [bob]);
    const sent = await api(gw, 'POST', `/api/v1/chats/${chat}/messages`, { token: alice.token, body: { type: 'video', media_url: up.body.file_url } });
    expect(sent.status).toBe(201);

    const media = stack.process('media');
    media.kill('SIGKILL');
    expect((await media.waitExit(10_000)).signal).toBe('SIGKILL');
    expect((await fetch(`${gw}${sent.body.media_url}`)).status).toBe(502);
    await media.restart();

    const res = await fetch(`${gw}${sent.body.media_url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await res.arrayBuffer()).equals(video)).toBe(true);
  });
});
