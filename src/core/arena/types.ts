import type { Json } from '../cert/json-safe.js';

/**
 * Instrument slots an arena trades: the spot market and the linear perpetual of one base asset. A market with no
 * perpetual (a stock) has only the spot slot: its observation's `perp` is null.
 */
export type Slot = 'spot' | 'perp';
export const SLOTS: readonly Slot[] = ['spot', 'perp'];

/**
 * What an agent asks for, in the firewall's own intent shape. The arena adds nothing to it: the firewall takes
 * the agent's identity from the session, never from the intent.
 */
export interface AgentIntent {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type?: 'market' | 'limit';
  readonly quantity?: number;
  readonly notional?: number;
  readonly limit_price?: number;
  readonly reduce_only?: boolean;
  readonly leverage?: number;
  readonly time_in_force?: 'GTC' | 'IOC' | 'FOK' | 'PO';
  readonly client_order_id?: string;
}

/** Why an agent decided what it decided: the inputs it looked at and a one-line reason. */
export interface DecisionNote {
  readonly reason: string;
  readonly inputs: Readonly<Record<string, number | string | boolean | null>>;
}

/** A view of one series of closed bars, oldest first. Indexing outside [0, length) gives NaN, never data. */
export interface SeriesView {
  readonly length: number;
  /** The value at absolute position `i` (0 = oldest bar in the replay). */
  at(i: number): number;
  /** The value `back` bars before the most recent closed bar (0 = the most recent). */
  last(back?: number): number;
}

export interface QuoteView {
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
}

/** One instrument as an agent sees it at the current bar: closed bars only, and the current quote. */
export interface InstrumentView {
  readonly symbol: string;
  readonly kind: Slot;
  readonly time: SeriesView;
  readonly open: SeriesView;
  readonly high: SeriesView;
  readonly low: SeriesView;
  readonly close: SeriesView;
  readonly volume: SeriesView;
  /** Funding rate settled at each bar's open (perpetual); NaN where none settled. */
  readonly funding: SeriesView;
  readonly quote: QuoteView;
}

/** The agent's own account as the arena's books hold it (reconciled with the venue after every change). */
export interface AccountView {
  readonly agentId: string;
  readonly accountId: string;
  readonly startingCapital: number;
  /** Cash plus unrealised P&L, marked at the current bar's open. */
  readonly equity: number;
  /** Wallet: starting capital + realised P&L − fees − funding (spot holdings at cost are part of it). */
  readonly wallet: number;
  /** Spot cost plus perpetual initial margin. */
  readonly margin: number;
  readonly fees: number;
  readonly funding: number;
  /** Signed base quantity held. */
  position(slot: Slot): number;
  entryPrice(slot: Slot): number;
}

/** What an agent sees when it decides. Read-only: every object is frozen and every series is bounded. */
export interface Observation {
  /** Index of the current bar: bars 0 … bar − 1 are closed, bar `bar` has just opened. */
  readonly bar: number;
  /** First and one-past-last bar the arena trades (bars before `startBar` are history). */
  readonly startBar: number;
  readonly endBar: number;
  /** The current bar's open time (epoch ms). */
  readonly ts: number;
  readonly timeframeMs: number;
  readonly spot: InstrumentView;
  /** The perpetual, or null on a market that has none (a stock: spot only, no funding). */
  readonly perp: InstrumentView | null;
  readonly account: AccountView;
}

/** An in-process agent. `decide` runs once per bar; returning null means no trade. */
export interface Agent {
  readonly id: string;
  decide(obs: Observation): AgentIntent | null;
  /** The note behind the last non-null decision (read right after `decide`). */
  explain?(): DecisionNote | null;
  /**
   * Work to finish before `decide` on this bar (a model call). The arena runs the `prepare` of every agent of a
   * bar concurrently (with a limit) and then asks each to `decide`, in roster order. It must settle by itself
   * (its own deadline): the bar waits for it.
   */
  prepare?(obs: Observation): Promise<void>;
  /**
   * Why the last decision was no trade, when that is worth a line in the decision trace (a model that held,
   * missed its deadline, answered something invalid or had spent its budget); read right after `decide`.
   */
  skipped?(): (DecisionNote & { readonly error: string | null }) | null;
  /** State the agent cannot rebuild from the bars it is shown (persisted each bar in live mode). */
  save?(): Json;
  restore?(state: Json): void;
}

/** How an agent is made: a family, one of its parameter sets, and the factory. Each spec is one trial. */
export interface AgentSpec {
  readonly id: string;
  readonly family: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly benchmark: boolean;
  create(): Agent;
}
