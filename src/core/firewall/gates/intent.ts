import { parseIntent } from '../intent.js';
import { type GateResult, reject, type Working } from './working.js';

/** Gate 3: the intent is well-formed (and the parsed intent is kept for the gates after it). */
export function checkIntent(w: Working): GateResult {
  const parsed = parseIntent(w.raw);
  if (!parsed.ok) return reject(parsed.reason);
  w.intent = parsed.intent;
  return null;
}
