export type ArenaErrorCode =
  | 'ARENA_CONFIG_INVALID'
  | 'ARENA_UNKNOWN_AGENT'
  | 'ARENA_DUPLICATE_AGENT'
  | 'ARENA_STARTED'
  | 'ARENA_STATE_MISMATCH'
  | 'ARENA_RECONCILE_FAILED'
  | 'ARENA_NOT_JOINED'
  | 'ARENA_FINISHED';

/** A local failure of the arena: a stable code, a `CODE: detail` message and the offending value. */
export class ArenaError extends Error {
  constructor(
    readonly code: ArenaErrorCode,
    detail: string,
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ArenaError';
  }
}

const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** Agent ids become part of account ids, verdict ids and file names: short, lower-case, no separators. */
export function assertAgentId(id: string): void {
  if (!AGENT_ID.test(id)) {
    throw new ArenaError('ARENA_CONFIG_INVALID', `agent id ${JSON.stringify(id)} must match ${AGENT_ID}`, { id });
  }
}
