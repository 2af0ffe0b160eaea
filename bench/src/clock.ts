/**
 * One clock for every bench process: CLOCK_MONOTONIC (process.hrtime) is system-wide on Linux,
 * so a timestamp taken in the injector can be compared with one taken in a socket worker.
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
