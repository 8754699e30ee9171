/** USD per million tokens, input and output. */
export interface ModelPrice {
  readonly input_per_million: number;
  readonly output_per_million: number;
}

/**
 * List prices (USD per million tokens) of a few models, as their providers published them; a roster's `prices`
 * adds to or replaces these. A model with no price costs 0 and the leaderboard says its price is unknown.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input_per_million: 2.5, output_per_million: 10 },
  'gpt-4o-mini': { input_per_million: 0.15, output_per_million: 0.6 },
  'gpt-4.1': { input_per_million: 2, output_per_million: 8 },
  'gpt-4.1-mini': { input_per_million: 0.4, output_per_million: 1.6 },
  'claude-sonnet-4-5': { input_per_million: 3, output_per_million: 15 },
  'claude-haiku-4-5': { input_per_million: 1, output_per_million: 5 },
  'deepseek-chat': { input_per_million: 0.28, output_per_million: 0.42 },
};

export interface Usage {
  readonly input_tokens: number;
  readonly output_tokens: number;
}

export const costOf = (u: Usage, p: ModelPrice | null): number =>
  p === null ? 0 : (u.input_tokens * p.input_per_million + u.output_tokens * p.output_per_million) / 1e6;

/** Per agent, per run: a limit left out is no limit. */
export interface BudgetLimits {
  readonly calls?: number;
  readonly tokens?: number;
  readonly usd?: number;
}

/** What an agent has spent on its model so far in this run. */
export interface Spend {
  readonly calls: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly usd: number;
}

export const NO_SPEND: Spend = { calls: 0, input_tokens: 0, output_tokens: 0, usd: 0 };

/** The first limit already reached (checked before each call), as `BUDGET_SPENT: limit=… spent=…`, or null. */
export function budgetSpent(limits: BudgetLimits, s: Spend): string | null {
  const tokens = s.input_tokens + s.output_tokens;
  if (limits.calls !== undefined && s.calls >= limits.calls)
    return `BUDGET_SPENT: calls=${limits.calls} spent=${s.calls}`;
  if (limits.tokens !== undefined && tokens >= limits.tokens)
    return `BUDGET_SPENT: tokens=${limits.tokens} spent=${tokens}`;
  if (limits.usd !== undefined && s.usd >= limits.usd) return `BUDGET_SPENT: usd=${limits.usd} spent=${s.usd}`;
  return null;
}

export const addSpend = (s: Spend, u: Usage, usd: number): Spend => ({
  calls: s.calls + 1,
  input_tokens: s.input_tokens + u.input_tokens,
  output_tokens: s.output_tokens + u.output_tokens,
  usd: s.usd + usd,
});
