import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The first of `candidates` (absolute paths) that is executable, else `name` found on PATH;
 * throws an error naming what is missing and where it looked.
 */
export function findExecutable(name: string, candidates: string[], hint = ''): string {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  const tried = [...candidates, ...onPath];
  const found = tried.find(isExecutable);
  if (found) return found;
  throw new Error(
    `${name} is not installed: looked in ${[...candidates, 'PATH'].join(', ')}.${hint ? ` ${hint}` : ''}`,
  );
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
