/**
 * TEST-ONLY crash hook (config `faultExitAfterCommit`, env FAULT_EXIT_AFTER_COMMIT=1): ends the
 * process between a message send's commit and its publish, the one window the outbox relay exists
 * for; the relay test restarts the service and sees the relay publish the event exactly once.
 * The only process.exit outside libs/runtime.
 */
export function exitBeforePublishIf(enabled: boolean): void {
  if (enabled) process.exit(137);
}
