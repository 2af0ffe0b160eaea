/**
 * Runs `task` after the current uWS callback, at the end of this event-loop turn. No NATS call may
 * happen inside a uWS callback: a NATS publish from the open handler (inside uWS's cork) was seen to
 * make uWS drop the just-opened socket (1006) about once in a hundred opens. Tasks run in the order
 * they came, from one setImmediate per turn (outside any callback scope), so that, for example, the
 * presence publishes of every socket opened in one turn leave in one write. A task must not throw
 * (the later ones of its turn would not run): each catches and logs its own failures.
 */
export function outsideUws(task: () => void): void {
  if (queue.length === 0) setImmediate(runQueued);
  queue.push(task);
}

/** Resolves once every task queued so far has run (an `await` that leaves the uWS callback). */
export function leaveUws(): Promise<void> {
  return new Promise((resolve) => outsideUws(resolve));
}

let queue: (() => void)[] = [];

function runQueued(): void {
  const tasks = queue;
  queue = [];
  for (const task of tasks) task();
}
