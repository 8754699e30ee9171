import { ModelError } from '../../core/llm/errors.js';

/** Every occurrence of the key in a text replaced (an error body or a proxy may echo it). */
export function maskKey(text: string, key: string): string {
  return key.length >= 4 ? text.split(key).join('[redacted]') : text;
}

interface ApiErrorLike {
  readonly status?: number;
  readonly headers?: unknown;
  readonly message?: string;
  readonly name?: string;
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

function retryAfterMs(headers: unknown): number | null {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && header(headers, 'retry-after-ms') !== null) return ms;
  const s = header(headers, 'retry-after');
  if (s === null) return null;
  const n = Number(s);
  if (Number.isFinite(n) && n >= 0) return n * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/**
 * A provider SDK's failure as the arena's ModelError: 429 rate_limited, 5xx (and Anthropic's 529) server, 401/403
 * auth, other 4xx refused, an aborted call timeout, a body that is not JSON malformed, anything else on the wire a
 * connection failure. The key is masked out of the message.
 */
export function toModelError(e: unknown, key: string, signal: AbortSignal): ModelError {
  if (e instanceof ModelError) return e;
  const err = (e ?? {}) as ApiErrorLike;
  const message = maskKey(String(err.message ?? e), key);
  if (signal.aborted || err.name === 'APIUserAbortError' || err.name === 'AbortError')
    return new ModelError('timeout', 'the call was aborted at the decision deadline');
  if (err.name === 'APIConnectionTimeoutError') return new ModelError('timeout', message);
  const status = typeof err.status === 'number' ? err.status : null;
  if (status !== null) {
    if (status === 429) return new ModelError('rate_limited', message, status, retryAfterMs(err.headers));
    if (status >= 500) return new ModelError('server', message, status, retryAfterMs(err.headers));
    if (status === 401 || status === 403) return new ModelError('auth', message, status);
    return new ModelError('refused', message, status);
  }
  if (e instanceof SyntaxError) return new ModelError('malformed', `the response body is not JSON: ${message}`);
  return new ModelError('connection', message);
}
