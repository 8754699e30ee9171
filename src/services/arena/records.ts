import type { AgentIntent } from '../../core/arena/types.js';
import { toJsonSafe } from '../../core/cert/json-safe.js';
import type { SubmitOutcome } from './submit.js';
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

/** What a submission got (its verdict and the venue's answer), as a decision trace records it. */
export function outcomeFields(out: SubmitOutcome): Partial<TraceRecord> {
  return {
    verdict_id: out.verdictId,
    decision: out.decision,
    reasons: out.reasons,
    order_status: out.order?.status ?? null,
    filled_quantity: out.order?.filledQuantity ?? 0,
    avg_price: out.order?.avgFillPrice ?? null,
    error: out.error ? `${out.error.code}: ${out.error.message}` : null,
  };
}
