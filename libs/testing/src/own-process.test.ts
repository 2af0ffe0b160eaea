import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { startOwnProcess, type OwnProcess } from './own-process.js';
import { announcesListening } from './own-service.js';

const started: OwnProcess[] = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'own-process-test-'));
afterAll(async () => {
  await Promise.all(started.filter((p) => p.running).map((p) => p.stop()));
  rmSync(tmp, { recursive: true, force: true });
});

async function track(p: Promise<OwnProcess>) {
  const proc = await p;
  started.push(proc);
  return proc;
}

describe('startOwnProcess', () => {
  it('waits for a log line, keeps the output, and reports the exit code', async () => {
    const script = `console.log(JSON.stringify({ level: 30, port: 1234, msg: 'demo listening' })); console.error('to stderr'); setTimeout(() => process.exit(3), 100);`;
    const proc = await track(startOwnProcess({ args: ['-e', script], ready: /listening/, label: 'demo', echo: 'never' }));
    expect(proc.logs()).toContainEqual(expect.objectContaining({ port: 1234, msg: 'demo listening' }));
    expect(await proc.waitExit(5000)).toEqual({ code: 3, signal: null });
    expect(proc.lines).toContain('to stderr');
    expect(proc.running).toBe(false);
  });

  it('kills with a signal, and restarts with the same env', async () => {
    const script = `console.log(JSON.stringify({ port: Number(process.env.PORT), msg: 'up' })); setInterval(() => {}, 1000);`;
    const port = await freePort();
    const proc = await track(
      startOwnProcess({ args: ['-e', script], env: { PORT: String(port) }, ready: (l) => announcesListening(l, port) }),
    );
    const firstPid = proc.pid;
    proc.kill('SIGKILL');
    expect(await proc.waitExit(5000)).toEqual({ code: null, signal: 'SIGKILL' });

    await proc.restart();
    expect(proc.running).toBe(true);
    expect(proc.pid).not.toBe(firstPid);
    expect(proc.logs().filter((l) => l.port === port)).toHaveLength(2);
    expect((await proc.stop()).signal).toBe('SIGTERM');
  });

  it('fails with the output when the process exits before it is ready', async () => {
    const run = startOwnProcess({ args: ['-e', `console.error('bad config: PORT'); process.exit(1)`], ready: /listening/, echo: 'never' });
    await expect(run).rejects.toThrow(/exited with code 1[\s\S]*bad config: PORT/);
  });

  it('runs TypeScript through tsx from the repo root and waits for its HTTP port', async () => {
    const file = path.join(tmp, 'server.ts');
    writeFileSync(
      file,
      `import http from 'node:http';
const port: number = Number(process.env.PORT);
http.createServer((_req, res) => res.end('ok')).listen(port, '127.0.0.1');`,
    );
    const port = await freePort();
    const proc = await track(
      startOwnProcess({ args: ['--import', 'tsx', file], env: { PORT: String(port) }, ready: { http: `http://127.0.0.1:${port}/` } }),
    );
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    await proc.stop();
  });
});
