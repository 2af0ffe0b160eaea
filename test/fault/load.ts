import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * The loaded mode of the fault tests, opt in through the environment (CI runs without it):
 * FAULT_LOAD=1 runs CPU hogs beside the services and slows the restarts, the conditions on which a
 * busy machine once made messages-sigkill lose events; FAULT_REPEAT=<n> runs a case n times.
 * RELIABILITY.md, "Running the fault tests loaded".
 */
export const faultLoad = {
  loaded: process.env.FAULT_LOAD === '1',
  repeat: Math.max(1, Number(process.env.FAULT_REPEAT ?? 1) || 1),
};

/**
 * Extra time a killed service stays down before it is restarted in the loaded mode: with the hogs a
 * restart alone takes 3 to 15 s on two cores; these make sure every outage outlasts the gateway's
 * first gap fills (about 3 s of them once went by before the gap was given up).
 */
export const loadedRestartDelaysMs = [1500, 3000, 500, 3500, 2000];

/**
 * One busy loop per core, each a child process at normal priority that ends by itself after
 * `maxMs` (so a test that dies cannot leave them spinning); stop() ends them sooner.
 */
export function startCpuHogs(maxMs: number, count = availableParallelism()): { stop(): void } {
  const hogs: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    hogs.push(spawn(process.execPath, ['-e', `const end = Date.now() + ${maxMs}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
  }
  return {
    stop() {
      for (const h of hogs) if (h.exitCode === null) h.kill('SIGKILL');
    },
  };
}
