/** Why a model call failed, as the arena records it. Only `rate_limited`, `server` and `connection` are retried. */
export type ModelFailureKind = 'rate_limited' | 'server' | 'connection' | 'timeout' | 'malformed' | 'auth' | 'refused';

export const RETRIED: ReadonlySet<ModelFailureKind> = new Set(['rate_limited', 'server', 'connection']);

/**
 * A model call that did not produce an answer: a stable kind, the HTTP status when there was one, and a message
 * that never carries the key (providers mask it before they build one).
 */
export class ModelError extends Error {
  constructor(
    readonly kind: ModelFailureKind,
    message: string,
    readonly status: number | null = null,
    /** What the server asked for (Retry-After), in ms. */
    readonly retryAfterMs: number | null = null,
    /** False when the deadline had passed before the request was sent (not counted as a call). */
    readonly sent = true,
  ) {
    super(`MODEL_${kind.toUpperCase()}: ${message}`);
    this.name = 'ModelError';
  }
}
