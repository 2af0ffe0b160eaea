import { afterAll, afterEach } from 'vitest';
import { createChecker } from './checker.js';
import { startConformance, takeProblems } from './recorder.js';

/**
 * The vitest setup file (vitest.config.ts): every answer and server frame a test sees through
 * libs/testing's api() and openSocket() must match the OpenAPI and AsyncAPI documents, or that test
 * fails with what did not match (see libs/contracts/README.md).
 */
startConformance(createChecker());

const fail = (when: string) => {
  const problems = takeProblems();
  if (problems.length === 0) return;
  const shown = problems.slice(0, 10).join('\n  ');
  throw new Error(`${problems.length} answer(s) or frame(s) ${when} do not match the API documents:\n  ${shown}`);
};

afterEach(() => fail('seen by this test'));
afterAll(() => fail('seen after the last test'));
