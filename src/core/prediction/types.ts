import type { Instrument } from '../market/types.js';

/**
 * Binary prediction markets: one question, two outcome tokens (YES and NO) priced in (0, 1) in the collateral
 * currency (USDC). On resolution the winning token pays exactly 1 and the other 0, so a YES and a NO share
 * together are always worth 1.
 */
export const OUTCOMES = ['YES', 'NO'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** `open`: trading; `closed`: trading halted before resolution; `resolved`: the outcome is known. */
export type PredictionStatus = 'open' | 'closed' | 'resolved';

export interface PredictionMarket {
  /** Upper case letters, digits and hyphens; also the base of its outcome tokens' symbols. */
  readonly id: string;
  readonly question: string;
  /** When the question is decided, epoch ms. Trading closes then. */
  readonly resolvesAt: number;
  /** Who decides it (an oracle, a newspaper of record, a data feed). */
  readonly resolutionSource: string;
  readonly status: PredictionStatus;
  /** Set once resolved. */
  readonly outcome: Outcome | null;
  /** Price increment of its order books. */
  readonly tickSize: number;
}

/** `FED-CUT-DEC` + YES → `FED-CUT-DEC-YES/USDC`, the unified symbol the firewall and the venue use. */
export function outcomeSymbol(marketId: string, outcome: Outcome, collateral = 'USDC'): string {
  return `${marketId}-${outcome}/${collateral}`;
}

/** The instrument of one outcome token: shares on a 0.01 step, at least 1 share and 1 USDC per order, no leverage. */
export function outcomeInstrument(marketId: string, outcome: Outcome, tickSize = 0.01): Instrument {
  const symbol = outcomeSymbol(marketId, outcome);
  return {
    symbol,
    base: `${marketId}-${outcome}`,
    quote: 'USDC',
    kind: 'prediction',
    instrumentType: 'prediction',
    assetClass: 'prediction',
    tickSize,
    stepSize: 0.01,
    minQty: 1,
    minNotional: 1,
    maxLeverage: 1,
  };
}

const TOKEN = /^([A-Z0-9](?:[A-Z0-9-]{0,32}[A-Z0-9])?)-(YES|NO)\/([A-Z0-9]{1,10})$/;

/** The market and outcome an outcome-token symbol names, or null when it names none. */
export function parseOutcomeSymbol(
  symbol: string,
): { readonly marketId: string; readonly outcome: Outcome; readonly collateral: string } | null {
  const m = TOKEN.exec(symbol.trim().toUpperCase());
  if (!m) return null;
  return { marketId: m[1]!, outcome: m[2] as Outcome, collateral: m[3]! };
}

export function otherOutcome(o: Outcome): Outcome {
  return o === 'YES' ? 'NO' : 'YES';
}

/** What a winning or losing share pays on resolution: 1 or 0, nothing in between. */
export function payout(held: Outcome, resolved: Outcome): 0 | 1 {
  return held === resolved ? 1 : 0;
}

/** The status at `now`: a market past its resolution time is closed even before the outcome is published. */
export function statusAt(m: PredictionMarket, now: number): PredictionStatus {
  if (m.status === 'resolved') return 'resolved';
  return now >= m.resolvesAt ? 'closed' : m.status;
}
