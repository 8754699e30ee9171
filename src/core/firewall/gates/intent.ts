import { parseIntent } from '../intent.js';
import { type GateResult, reject, type Working } from './working.js';

/** Gate 3: the intent is well-formed (the engine stores the parsed intent). */
export function checkIntent(w: Working): GateResult {
  const parsed = parseIntent(w.raw);
  return parsed.ok ? null : reject(parsed.reason);
}
