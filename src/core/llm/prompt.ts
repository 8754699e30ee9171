import { EMA, MACD, RSI } from 'trading-signals';
import type { InstrumentView, Observation, Slot } from '../arena/types.js';
import { MAX_MODEL_LEVERAGE } from './decision.js';

/** The exit plan a model gave with its last entry on an instrument, shown back to it on every later decision. */
export interface ExitPlan {
  readonly take_profit: number | null;
  readonly stop_loss: number | null;
  readonly invalidation: string | null;
}

export interface Prompt {
  readonly system: string;
  readonly user: string;
}

/** Closed bars the indicators are computed over (enough for EMA 50 and a 4× timeframe's EMA 20). */
const WINDOW = 240;
/** The higher timeframe, in bars of the run's timeframe. */
const HIGHER = 4;
const SHOWN = 10;

/** Numbers in a prompt: 8 significant digits, the same text on every machine. */
export const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : String(Number(x.toPrecision(8)));

const frameName = (ms: number) =>
  ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;

function indicators(closes: readonly number[]): string {
  const ema20 = new EMA(20);
  const ema50 = new EMA(50);
  const rsi = new RSI(14);
  const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  let e20: number | null = null;
  let e50: number | null = null;
  let r: number | null = null;
  let m: { histogram: number } | null = null;
  for (const c of closes) {
    if (!Number.isFinite(c)) continue;
    e20 = ema20.add(c);
    e50 = ema50.add(c);
    r = rsi.add(c);
    m = macd.add(c);
  }
  return `EMA20 ${fmt(e20)}, EMA50 ${fmt(e50)}, RSI14 ${fmt(r)}, MACD histogram ${fmt(m?.histogram)}`;
}

/**
 * The market part of an instrument's section: the same for every agent of a bar (the views are shared), so it is
 * computed once per bar and view, not once per agent.
 */
const marketCache = new WeakMap<InstrumentView, { key: string; lines: readonly string[] }>();

function marketLines(v: InstrumentView, tf: number): readonly string[] {
  const n = v.close.length;
  const key = `${n}:${tf}:${v.quote.bid}:${v.quote.ask}`;
  const hit = marketCache.get(v);
  if (hit?.key === key) return hit.lines;
  const closes: number[] = [];
  for (let i = Math.max(0, n - WINDOW); i < n; i++) closes.push(v.close.at(i));
  const higher = closes.filter((_, k) => (closes.length - 1 - k) % HIGHER === 0);
  const shown = closes.slice(-SHOWN).map(fmt).join(', ');
  const lines = [
    `${v.kind === 'spot' ? 'SPOT' : 'PERPETUAL (linear, USDT-margined)'} ${v.symbol}: bid ${fmt(v.quote.bid)}, ask ${fmt(v.quote.ask)}, mid ${fmt(v.quote.mid)}`,
    `  last ${Math.min(SHOWN, n)} closes (${frameName(tf)}, oldest first): ${shown}`,
    `  ${frameName(tf)}: ${indicators(closes)}`,
    `  ${frameName(tf * HIGHER)}: ${indicators(higher)}`,
  ];
  if (v.kind === 'perp') lines.push(`  last funding rate: ${fmt(v.funding.last())}`);
  marketCache.set(v, { key, lines });
  return lines;
}

function instrument(v: InstrumentView, tf: number, obs: Observation, plan: ExitPlan | undefined): string {
  const slot: Slot = v.kind;
  const qty = obs.account.position(slot);
  const entry = obs.account.entryPrice(slot);
  const lines = [...marketLines(v, tf)];
  if (qty !== 0) {
    const mark = v.quote.mid;
    lines.push(
      `  YOUR POSITION: ${fmt(qty)} @ entry ${fmt(entry)}, unrealised P&L ${fmt((mark - entry) * qty)} USD`,
      `  your exit plan: take_profit ${fmt(plan?.take_profit)}, stop_loss ${fmt(plan?.stop_loss)}, invalidation ${plan?.invalidation ?? 'n/a'}`,
    );
  } else lines.push('  YOUR POSITION: none');
  return lines.join('\n');
}

const ANSWER = `Answer with ONE JSON object and nothing else:
{"action": "buy" | "sell" | "hold" | "close", "symbol": one of the symbols above (not needed for hold),
 "size": order notional in USD (buy/sell; at most equity × leverage), "leverage": 1-${MAX_MODEL_LEVERAGE} (perpetual only),
 "take_profit": price or null, "stop_loss": price or null, "invalidation": "the condition that voids your idea",
 "confidence": 0-1, "reason": "one line"}
"close" closes your whole position in that symbol. Exits are yours to act on: nothing closes a position for you.`;

/**
 * The one prompt of a decision, a pure function of the observation and the agent's own exit plans: every model in
 * an arena gets the same text for the same bar and account.
 */
export function decisionPrompt(obs: Observation, plans: Readonly<Partial<Record<Slot, ExitPlan>>>): Prompt {
  const a = obs.account;
  const system = [
    'You are a trading agent in an arena. Every order you ask for goes through a pre-trade risk firewall that may',
    obs.perp
      ? 'cap or refuse it. You trade two instruments with the capital shown; fees and funding are charged.'
      : 'cap or refuse it. You trade one instrument (spot, no shorting) with the capital shown; fees are charged.',
    'You see closed bars only. Decide once per bar.',
    '',
    ANSWER,
  ].join('\n');
  const user = [
    `Bar ${obs.bar - obs.startBar + 1} of ${obs.endBar - obs.startBar}, opened ${new Date(obs.ts).toISOString()}, timeframe ${frameName(obs.timeframeMs)}.`,
    '',
    instrument(obs.spot, obs.timeframeMs, obs, plans.spot),
    '',
    ...(obs.perp ? [instrument(obs.perp, obs.timeframeMs, obs, plans.perp), ''] : []),
    `ACCOUNT: equity ${fmt(a.equity)} USD (started with ${fmt(a.startingCapital)}), wallet ${fmt(a.wallet)}, margin in use ${fmt(a.margin)}, fees paid ${fmt(a.fees)}, funding paid ${fmt(a.funding)}`,
  ].join('\n');
  return { system, user };
}
