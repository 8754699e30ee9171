import type { AgentIntent } from '../../core/arena/types.js';
import { toJsonSafe } from '../../core/cert/json-safe.js';
import type { TraceRecord } from './types.js';

/** A decision trace line with every field present, in a fixed order (the files are compared byte for byte). */
export function traceOf(
  agent: string,
  bar: number,
  ts: number,
  intent: AgentIntent | null,
  fields: Partial<TraceRecord>,
): TraceRecord {
  return {
    agent,
    bar,
    ts,
    reason: null,
    inputs: null,
    intent: intent === null ? null : toJsonSafe(intent),
    verdict_id: '',
    decision: 'NONE',
    reasons: [],
    order_status: null,
    filled_quantity: 0,
    avg_price: null,
    error: null,
    ...fields,
  };
}
