import { get, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createChat, registerUser, startStack, testScope, waitUntil, type Stack, type TestUser } from '@chatroulette/testing';
import { bucketOf, fileForm, multipart, mp4Of, png, pngOf, upload } from './helpers.js';

const scope = testScope('media-uploads');
let stack: Stack;
let gw: string;
let bucket: Awaited<ReturnType<typeof bucketOf>>;
let alice: TestUser;
let bob: TestUser;
const MB = 1024 * 1024;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'media', 'gateway'] });
  gw = stack.get('gateway').url;
  bucket = await bucketOf(scope);
  [alice, bob] = await Promise.all([registerUser(gw, 'alice'), registerUser(gw, 'bob')]);
});

afterAll(async () => {
  await bucket?.close();
  await stack?.destroy();
});

/** Nothing of a refused upload is left: no object of it, no chunk that belongs to no object. */
async function expectNothingHalfStored(objectsBefore: number) {
  expect(await bucket.strayChunks()).toEqual([]);
  expect(await bucket.objects()).toHaveLength(objectsBefore);
}

describe('upload -> message -> download through the gateway', () => {
  it('stores a PNG sent as text/plain named .txt as image/png, a message carries its url, the download gives the same bytes', async () => {
    const form = fileForm(png, 'notes.txt', 'text/plain');
    const up = await upload(gw, alice.token, form.body, form.contentType);
    expect(up.status).toBe(201);
    expect(Object.keys(up.body).sort()).toEqual(['content_type', 'created_at', 'file_id', 'file_url', 'media_type', 'size']);
    expect(up.body).toMatchObject({ media_type: 'image', content_type: 'image/png', size: png.length });
    expect(up.body.file_id).toMatch(/^[0-9a-f-]{36}\.png$/);
    expect(up.body.file_url).toBe(`/uploads/${alice.id}/${up.body.file_id}`);
    expect(Number.isNaN(Date.parse(up.body.created_at))).toBe(false);

    const chat = await createChat(gw, alice, [bob]);
    const sent = await api(gw, 'POST', `/api/v1/chats/${chat}/messages`, { token: alice.token, body: { type: 'image', media_url: up.body.file_url } });
    expect(sent.status).toBe(201);
    expect(sent.body.media_url).toBe(up.body.file_url);

    // Bob follows the message's url, without a token.
    const res = await fetch(`${gw}${sent.body.media_url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(png.length));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d{7,}.*immutable/);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it('answers a single Range with 206 and the bytes of it, across chunks; a range past the end with 416', async () => {
    const video = mp4Of(300 * 1024);
    for (let i = 32; i < video.length; i++) video[i] = i % 251;
    const form = fileForm(video, 'clip.bin');
    const up = await upload(gw, alice.token, form.body, form.contentType);
    expect(up.body).toMatchObject({ media_type: 'video', content_type: 'video/mp4', size: video.length });
    expect(up.body.file_id).toMatch(/\.mp4$/);

    const part = await fetch(`${gw}${up.body.file_url}`, { headers: { range: 'bytes=100000-200000' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100000-200000/${video.length}`);
    expect(part.headers.get('content-length')).toBe('100001');
    expect(Buffer.from(await part.arrayBuffer()).equals(video.subarray(100000, 200001))).toBe(true);

    const tail = await fetch(`${gw}${up.body.file_url}`, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(video.subarray(video.length - 10))).toBe(true);

    const whole = await fetch(`${gw}${up.body.file_url}`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(video)).toBe(true);

    const past = await api(gw, 'GET', up.body.file_url, { headers: { range: `bytes=${video.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${video.length}`);
    expect(past.body.error).toEqual(expect.any(String));
  });

  it('accepts an image of exactly 10 MB', async () => {
    const form = fileForm(pngOf(10 * MB));
    const up = await upload(gw, alice.token, form.body, form.contentType);
    expect(up.status).toBe(201);
    expect(up.body.size).toBe(10 * MB);
  });
});

describe('refused uploads keep nothing', () => {
  it('refuses an HTML page named .png and sent as image/png: 415', async () => {
    const before = (await bucket.objects()).length;
    const form = fileForm(Buffer.from('<!doctype html><html><script>alert(1)</script></html>'), 'cat.png', 'image/png');
    const up = await upload(gw, alice.token, form.body, form.contentType);
    expect(up.status).toBe(415);
    expect(up.body.error).toEqual(expect.any(String));
    await expectNothingHalfStored(before);
  });

  it('cuts off an image over 10 MB: 413, and no chunk of it is left in the bucket', async () => {
    const before = (await bucket.objects()).length;
    const form = fileForm(pngOf(10 * MB + 1), 'big.png');
    const up = await upload(gw, alice.token, form.body, form.contentType);
    expect(up.status).toBe(413);
    expect(up.body.error).toMatch(/image/);
    await expectNothingHalfStored(before);
  });

  it('answers 400 to a form whose closing boundary never comes (the file cut off)', async () => {
    const before = (await bucket.objects()).length;
    const form = multipart([{ name: 'file', filename: 'v.mp4', data: mp4Of(512 * 1024) }], { closing: false });
    const cut = form.body.subarray(0, form.body.length - 2);
    const up = await upload(gw, alice.token, cut, form.contentType);
    expect(up.status).toBe(400);
    expect(up.body.error).toMatch(/cut off/);
    await expectNothingHalfStored(before);
  });

  it('answers 400 to a form without a file field, with an empty file, and to bodies that are not multipart', async () => {
    const before = (await bucket.objects()).length;
    const other = multipart([{ name: 'avatar', filename: 'a.png', data: png }, { name: 'file', data: 'a text field, not a file' }]);
    const missing = await upload(gw, alice.token, other.body, other.contentType);
    expect(missing).toMatchObject({ status: 400, body: { error: expect.stringMatching(/file/) } });

    const empty = fileForm(Buffer.alloc(0), 'empty.png', 'image/png');
    expect(await upload(gw, alice.token, empty.body, empty.contentType)).toMatchObject({ status: 400, body: { error: 'The file is empty' } });

    const noBoundary = await upload(gw, alice.token, fileForm(png).body, 'multipart/form-data');
    expect(noBoundary).toMatchObject({ status: 400, body: { error: expect.any(String) } });

    const garbage = await upload(gw, alice.token, Buffer.from('this is not a form at all'), 'multipart/form-data; boundary=xyz');
    expect(garbage).toMatchObject({ status: 400, body: { error: expect.any(String) } });

    const badHeader = Buffer.from(`--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n${'x'.repeat(20_000)}\r\n\r\n`);
    expect(await upload(gw, alice.token, badHeader, 'multipart/form-data; boundary=xyz')).toMatchObject({ status: 400, body: { error: expect.any(String) } });

    const json = await api(gw, 'POST', '/api/v1/upload', { token: alice.token, body: { file: 'aGVsbG8=' } });
    expect(json).toMatchObject({ status: 400, body: { error: expect.stringMatching(/multipart/) } });
    await expectNothingHalfStored(before);
  });

  it('needs a token: 401', async () => {
    const form = fileForm(png);
    expect((await upload(gw, undefined, form.body, form.contentType)).status).toBe(401);
  });

  it('undoes an upload whose client goes away mid-body: the chunks written so far are purged', async () => {
    const before = (await bucket.objects()).length;
    const baseline = await bucket.chunkMessages();
    const form = fileForm(mp4Of(8 * MB), 'v.mp4');
    const req = request(`${gw}/api/v1/upload`, {
      method: 'POST',
      headers: { 'content-type': form.contentType, 'content-length': String(form.body.length), authorization: `Bearer ${alice.token}` },
    });
    req.on('error', () => undefined);
    req.write(form.body.subarray(0, 3 * MB));
    // Its first chunks are in the stream: the upload is under way when the client leaves.
    await waitUntil(async () => ((await bucket.chunkMessages()) > baseline ? true : undefined), { what: 'chunks of the upload', timeoutMs: 10_000 });
    req.destroy();
    await waitUntil(async () => ((await bucket.chunkMessages()) === baseline ? true : undefined), { what: 'the partial chunks purged', timeoutMs: 10_000 });
    await expectNothingHalfStored(before);
  });
});

describe('download and delete', () => {
  it('lets only the owner delete a file: another user gets 404, the owner 200, then the file is gone', async () => {
    const form = fileForm(png);
    const up = await upload(gw, alice.token, form.body, form.contentType);
    const path = `/api/v1/uploads/${up.body.file_id}`;
    expect(await api(gw, 'DELETE', path, { token: bob.token })).toMatchObject({ status: 404, body: { error: expect.any(String) } });
    expect((await fetch(`${gw}${up.body.file_url}`)).status).toBe(200);
    expect(await api(gw, 'DELETE', path, { token: alice.token })).toMatchObject({ status: 200, body: { message: expect.any(String) } });
    expect((await api(gw, 'GET', up.body.file_url)).status).toBe(404);
    expect((await api(gw, 'DELETE', path, { token: alice.token })).status).toBe(404);
    expect((await api(gw, 'DELETE', path)).status).toBe(401);
  });

  it('serves a whole file to a client that stops reading for a while (longer than a chunk fetch may stay open)', async () => {
    const video = mp4Of(16 * MB);
    for (let i = 32; i < video.length; i += 4096) video[i] = (i / 4096) % 256;
    const form = fileForm(video);
    const up = await upload(gw, alice.token, form.body, form.contentType);
    const got = await new Promise<Buffer>((resolve, reject) => {
      get(`${stack.get('media').url}${up.body.file_url}`, (res) => {
        const parts: Buffer[] = [];
        res.once('data', (first: Buffer) => {
          parts.push(first);
          res.pause();
          setTimeout(() => {
            res.on('data', (c: Buffer) => parts.push(c));
            res.resume();
          }, 6000);
        });
        res.on('end', () => resolve(Buffer.concat(parts)));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(got.length).toBe(video.length);
    expect(got.equals(video)).toBe(true);
  }, 30_000);

  it('answers 404 to unknown, malformed and dot-segment ids, never 500, through the gateway and at media itself', async () => {
    const form = fileForm(png);
    const up = await upload(gw, alice.token, form.body, form.contentType);
    const media = stack.get('media').url;
    const paths = [
      `/uploads/${alice.id}/00000000-0000-4000-8000-000000000000.png`,
      `/uploads/${bob.id}/${up.body.file_id}`,
      `/uploads/${alice.id}/${up.body.file_id.replace('.png', '.gif')}`,
      `/uploads/not-a-user/${up.body.file_id}`,
      `/uploads/${alice.id}/..`,
      `/uploads/${alice.id}/%2e%2e%2f${up.body.file_id}`,
      `/uploads/%2e%2e/${up.body.file_id}`,
      `/uploads/${alice.id}/${up.body.file_id}/..`,
      `/uploads/${alice.id.toUpperCase()}/${up.body.file_id}`,
    ];
    for (const base of [gw, media]) {
      for (const p of paths) {
        const res = await api(base, 'GET', p);
        expect([400, 404], `${base}${p}`).toContain(res.status);
        expect(res.body.error, `${base}${p}`).toEqual(expect.any(String));
      }
      expect((await api(base, 'DELETE', '/api/v1/uploads/..%2f..%2fx', { token: alice.token })).status).toBe(404);
    }
  });
});
