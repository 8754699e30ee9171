import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', '..', '..', 'test-artifacts');

/**
 * Keeps what a case observed (pass or fail) as one JSON line in test-artifacts/seams-figures.jsonl and on the
 * console, so a run's figures ("venue $1,303.90 against $1,000 in 2 of 10 runs") can be quoted afterwards.
 */
export function recordFigures(caseName: string, figures: unknown): void {
  const line = JSON.stringify({ case: caseName, at: new Date().toISOString(), figures });
  try {
    mkdirSync(DIR, { recursive: true });
    appendFileSync(join(DIR, 'seams-figures.jsonl'), `${line}\n`);
  } catch {
    // the console line below still carries it
  }
  console.info(`[seams] ${line}`);
}
