import type { Checker, SeenResponse } from './checker.js';

/**
 * What libs/testing's clients saw, checked against the API documents as it comes (nothing is kept
 * but the problems). Off until a run turns it on (conformance/setup.ts, the vitest setup file), so
 * the benchmark's clients pay nothing.
 */
let checker: Checker | null = null;
const problems: string[] = [];
/** Origins of the gateways the tests started: their answers are the public API. */
const gateways = new Set<string>();

export function startConformance(c: Checker): void {
  checker = c;
}

/** A gateway a test started: every answer from it is checked, its own routes included. */
export function noteGateway(url: string): void {
  gateways.add(new URL(url).origin);
}

export function noteResponse(r: Omit<SeenResponse, 'fromGateway'>): void {
  const problem = checker?.response({ ...r, fromGateway: gateways.has(new URL(r.url).origin) });
  if (problem) problems.push(problem);
}

export function noteFrame(frame: unknown): void {
  const problem = checker?.frame(frame);
  if (problem) problems.push(problem);
}

/** The problems seen since the last call. */
export function takeProblems(): string[] {
  return problems.splice(0);
}
