import { afterAll, describe, expect, it } from 'vitest';
import { api, registerUser } from './http-client.js';
import { testScope } from './isolation.js';
import { startStack, type Stack } from './stack.js';

const scope = testScope('testing-stack');
let stack: Stack | undefined;
afterAll(() => stack?.destroy());

describe('startStack', () => {
  it('runs instances of a service in this process and as a child process, on one database, and restarts the process', async () => {
    stack = await startStack({ infra: scope, instances: [['auth', { service: 'auth', run: 'process' }]] });
    const auths = stack.all('auth');
    const inProcess = auths.find((i) => !i.process)!;
    const child = auths.find((i) => i.process)!;
    expect(stack.process('auth', auths.indexOf(child)).pid).toBeGreaterThan(0);
    expect(() => stack!.process('auth', auths.indexOf(inProcess))).toThrow(/runs in this process/);

    const user = await registerUser(inProcess.url, 'st');
    expect((await api(child.url, 'GET', '/api/v1/auth/profile', { token: user.token })).status).toBe(200);

    child.process!.kill('SIGKILL');
    await child.process!.waitExit(5000);
    expect((await api(child.url, 'GET', '/healthz', { orStatus0: true })).status).toBe(0);
    await child.process!.restart();
    expect((await api(child.url, 'GET', '/healthz')).status).toBe(200);

    await stack.destroy();
    expect(stack.instances).toEqual([]);
    expect(child.process!.running).toBe(false);
  }, 90_000);
});
