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

/** Per agent, per run (and `per_day`: per UTC day of the bars' time): a limit left out is no limit. */
export interface BudgetLimits {
  readonly calls?: number;
  readonly tokens?: number;
  readonly usd?: number;
  readonly per_day?: Omit<BudgetLimits, 'per_day'>;
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
export function budgetSpent(limits: BudgetLimits, s: Spend, today?: DaySpend): string | null {
  const run = limitReached(limits, s, '');
  if (run || !limits.per_day || !today) return run;
  return limitReached(limits.per_day, today.spend, `day=${today.day} `);
}

function limitReached(limits: Omit<BudgetLimits, 'per_day'>, s: Spend, scope: string): string | null {
  const tokens = s.input_tokens + s.output_tokens;
  if (limits.calls !== undefined && s.calls >= limits.calls)
    return `BUDGET_SPENT: ${scope}calls=${limits.calls} spent=${s.calls}`;
  if (limits.tokens !== undefined && tokens >= limits.tokens)
    return `BUDGET_SPENT: ${scope}tokens=${limits.tokens} spent=${tokens}`;
  if (limits.usd !== undefined && s.usd >= limits.usd) return `BUDGET_SPENT: ${scope}usd=${limits.usd} spent=${s.usd}`;
  return null;
}

/** What an agent has spent on one UTC day (of the bars' time, so a replay counts the same days). */
export interface DaySpend {
  /** YYYY-MM-DD. */
  readonly day: string;
  readonly spend: Spend;
}

/** The day's spend for a bar opening at `ts`: `current` if it is that day's, else a new day with nothing spent. */
export function dayOf(current: DaySpend | null, ts: number): DaySpend {
  const day = new Date(ts).toISOString().slice(0, 10);
  return current?.day === day ? current : { day, spend: NO_SPEND };
}

export const addSpend = (s: Spend, u: Usage, usd: number): Spend => ({
  calls: s.calls + 1,
  input_tokens: s.input_tokens + u.input_tokens,
  output_tokens: s.output_tokens + u.output_tokens,
  usd: s.usd + usd,
});
