/**
 * Pretty JSON, two-space indent, keys in the order written. Parsing keeps that order, so `arbiter verify`
 * re-serialises a vet envelope and compares bytes: a change to any byte of a saved verdict is detected, not only
 * a change inside the signed payload.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function printJson(value: unknown): void {
  process.stdout.write(stableJson(value));
}

/** A failure the CLI reports as one line on stderr with a stable code, then exits non-zero. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 2,
  ) {
    super(`${code}: ${message}`);
  }
}
