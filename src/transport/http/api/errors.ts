import type { z } from 'zod';

/**
 * A refusal at the HTTP boundary (bad input, missing token, unknown id). Carries its status and a stable code;
 * the message is safe to show. A denial by the firewall is never one of these: it is a verdict (data).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: readonly string[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The wire body of every error: `{ error, message, fields? }`. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly fields?: readonly string[];
}

/** Dotted paths of the fields a zod error is about, prefixed with where they came from (`body`, `query`). */
function fieldsOf(where: string, issue: z.core.$ZodIssue): string[] {
  const base = [where, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${base}.${k}`);
  return [base];
}

/** A 400 whose message names every offending field: `body.side: Invalid option: expected one of "buy"|"sell"`. */
export function validationError(where: string, error: z.ZodError): HttpError {
  const parts: string[] = [];
  const fields: string[] = [];
  for (const issue of error.issues.slice(0, 10)) {
    const f = fieldsOf(where, issue);
    fields.push(...f);
    parts.push(`${f.join(', ')}: ${issue.message}`);
  }
  return new HttpError(400, 'VALIDATION_ERROR', parts.join('; '), fields);
}
