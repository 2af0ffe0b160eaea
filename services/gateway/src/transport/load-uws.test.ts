import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uws, uwsBuild, uwsNative } from './load-uws.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

/** Runs a script with node --import tsx from the repo root; resolves with its exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 15_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('uWebSockets.js loading', () => {
  it('runs the native binary, not the pure-JS fallback', () => {
    expect(uwsBuild.uws).toBe('native');
    expect(uwsNative).toBe(true);
    expect(typeof uws.App).toBe('function');
  });

  it('shows the fallback when UWS_USE_FALLBACK=1 forces it', async () => {
    const probe = `import { uwsBuild } from './services/gateway/src/transport/load-uws.ts'; console.log(JSON.stringify(uwsBuild));`;
    const { code, stdout } = await run(['-e', probe], { UWS_USE_FALLBACK: '1' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ uws: 'fallback' });
  });

  it("the gateway's main refuses the fallback: exit 1 and one line naming the Node ABI, the platform and the binary", async () => {
    const { code, stderr } = await run(['services/gateway/src/main.ts'], {
      UWS_USE_FALLBACK: '1',
      PORT: '0',
      // Never reached: the check comes before any connection.
      NATS_URL: 'nats://127.0.0.1:1',
      LOG_FORMAT: 'json',
    });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const binary = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
    expect(lines[0]).toMatch(/^gateway: uWebSockets\.js has no native build loaded \(the pure-JS fallback is refused\) for Node /);
    expect(lines[0]).toContain(`(ABI ${process.versions.modules}) on ${process.platform}-${process.arch}`);
    expect(lines[0]).toContain(binary);
    if (process.platform === 'linux') expect(lines[0]).toMatch(/glibc \d+\.\d+/);
  });
});
