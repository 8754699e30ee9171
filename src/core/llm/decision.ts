import { z } from 'zod';
import type { AgentIntent, Observation } from '../arena/types.js';

/** Most leverage a model may ask for (the firewall's mandate may allow less: it decides). */
export const MAX_MODEL_LEVERAGE = 10;

const price = z.number().positive().finite().nullable().optional();

/**
 * The structured decision a model answers with (Alpha Arena's fields). `size` is the order's notional in USD.
 * Extra keys are ignored; a missing or wrong one is an invalid answer (no trade, the error recorded).
 */
export const modelDecision = z
  .object({
    action: z.enum(['buy', 'sell', 'hold', 'close']),
    symbol: z.string().min(1).optional(),
    size: z.number().finite().optional(),
    leverage: z.number().finite().min(1).max(MAX_MODEL_LEVERAGE).optional(),
    take_profit: price,
    stop_loss: price,
    invalidation: z.string().max(500).optional(),
    confidence: z.number().min(0).max(1),
    reason: z.string().min(1).max(500),
  })
  .superRefine((d, ctx) => {
    if (d.action === 'hold') return;
    if (d.symbol === undefined) ctx.addIssue({ code: 'custom', path: ['symbol'], message: `required for ${d.action}` });
    if (d.action !== 'close' && d.size === undefined)
      ctx.addIssue({ code: 'custom', path: ['size'], message: `required for ${d.action}` });
  });

export type ModelDecision = z.infer<typeof modelDecision>;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The JSON object in a model's answer: the whole text, or inside a ```json fence, or from the first { to the last }. */
export function extractJson(text: string): Parsed<unknown> {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const candidates = [text.trim(), fenced?.trim(), text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)];
  let first = '';
  for (const c of candidates) {
    if (!c) continue;
    try {
      return { ok: true, value: JSON.parse(c) };
    } catch (e) {
      first ||= (e as Error).message;
    }
  }
  return { ok: false, error: `malformed JSON: ${first || 'no JSON object in the answer'}` };
}

/** What a decision may refer to: the arena's two instruments and the account's equity. */
export interface DecisionBounds {
  readonly symbols: readonly string[];
  readonly equity: number;
}

/**
 * Parses and checks a model's answer: JSON, the schema, a symbol the arena trades, a size within equity ×
 * leverage. Every refusal names the field and what is accepted.
 */
export function parseDecision(text: string, b: DecisionBounds): Parsed<ModelDecision> {
  const json = extractJson(text);
  if (!json.ok) return json;
  const r = modelDecision.safeParse(json.value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
    return { ok: false, error: `invalid decision: ${issues}` };
  }
  const d = r.data;
  if (d.action === 'hold') return { ok: true, value: d };
  if (!b.symbols.includes(d.symbol!))
    return { ok: false, error: `unknown symbol ${JSON.stringify(d.symbol)}: accepted ${b.symbols.join(', ')}` };
  if (d.action !== 'close') {
    const max = Math.max(0, b.equity) * (d.leverage ?? 1);
    if (!(d.size! > 0 && d.size! <= max))
      return { ok: false, error: `size ${d.size} out of range: accepted 0 < size <= equity × leverage = ${max}` };
  }
  return { ok: true, value: d };
}

/**
 * The firewall intent a valid decision asks for, or null (hold, or a close with nothing to close). A close sells
 * (or buys back) exactly the position, reduce-only, so it is never refused for size and leaves no dust.
 */
export function decisionIntent(d: ModelDecision, obs: Observation): AgentIntent | null {
  if (d.action === 'hold') return null;
  const slot = d.symbol === obs.perp?.symbol ? 'perp' : 'spot';
  if (d.action === 'close') {
    const held = obs.account.position(slot);
    if (!(Math.abs(held) > 0)) return null;
    return { symbol: d.symbol!, side: held > 0 ? 'sell' : 'buy', quantity: Math.abs(held), reduce_only: true };
  }
  return {
    symbol: d.symbol!,
    side: d.action,
    notional: d.size!,
    ...(slot === 'perp' && d.leverage !== undefined ? { leverage: d.leverage } : {}),
  };
}
