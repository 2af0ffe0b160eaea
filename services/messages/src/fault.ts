/**
 * TEST-ONLY fault hook (config `faultExitAfterCommit`, env FAULT_EXIT_AFTER_COMMIT=1).
 * Kills the process between a message send's commit and its publish, the one window the
 * outbox relay exists for; the integration test restarts the service and sees the relay
 * publish the event exactly once. This is the only process.exit outside main.ts.
 */
export function exitAfterCommitIfFaulted(enabled: boolean): void {
  if (enabled) process.exit(137);
}
