import { z } from 'zod';
import type { Portfolio, SavedBook } from '../../core/arena/portfolio.js';
import type { Agent } from '../../core/arena/types.js';
import type { Json } from '../../core/cert/json-safe.js';
import type { Store } from '../../ports/store.js';
import type { AccountBooks } from './books.js';
import type { BarRecord, TraceRecord, TradeRecord } from './types.js';

export const ARENA_NS = 'arena';

const book = z.object({
  wallet: z.number(),
  totals: z.object({ realizedPnl: z.number(), fees: z.number(), funding: z.number() }),
  positions: z.array(z.object({ symbol: z.string(), qty: z.number(), entryPrice: z.number() })),
  traded: z.number(),
  fills: z.number(),
  leverage: z.number(),
});

const stateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  /** The next bar to run: every bar before it is fully booked. */
  next: z.number().int().nonnegative(),
  agents: z.array(z.string()),
  books: z.array(book),
  needsTouch: z.array(z.number().int()),
  saved: z.record(z.string(), z.unknown()),
  decisionsSinceCheckpoint: z.number().int().nonnegative(),
  mismatches: z.number().int().nonnegative(),
  largestMiss: z.number(),
});

export type ArenaState = z.infer<typeof stateSchema>;

const barSchema = z.object({
  bar: z.number().int(),
  equity: z.array(z.number()),
  trades: z.array(z.record(z.string(), z.unknown())),
  traces: z.array(z.record(z.string(), z.unknown())),
});

const stateKey = (runId: string) => `${runId}:state`;
const barPrefix = (runId: string) => `${runId}:bar:`;
const barKey = (runId: string, bar: number) => `${barPrefix(runId)}${bar.toString().padStart(9, '0')}`;

/**
 * A live run's state in the store's documents: one document per bar (what the bar produced) and one state
 * document (where to resume). The bar document is written first and the state second, each atomically; a
 * crash between them redoes the bar, which rewrites the same bar document.
 */
export class ArenaStateStore {
  constructor(
    private readonly store: Pick<Store, 'getDoc' | 'putDoc' | 'listDocs'>,
    private readonly runId: string,
  ) {}

  async load(): Promise<ArenaState | null> {
    const text = await this.store.getDoc(ARENA_NS, stateKey(this.runId));
    if (text === null) return null;
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`arena state ${this.runId} is invalid: ${parsed.error.message}`);
    return parsed.data;
  }

  async bars(): Promise<BarRecord[]> {
    const prefix = barPrefix(this.runId);
    const docs = await this.store.listDocs(ARENA_NS);
    return docs
      .filter((d) => d.key.startsWith(prefix))
      .map((d) => {
        const b = barSchema.parse(JSON.parse(d.value));
        return {
          bar: b.bar,
          equity: b.equity,
          trades: b.trades as unknown as TradeRecord[],
          traces: b.traces as unknown as TraceRecord[],
        };
      })
      .sort((x, y) => x.bar - y.bar);
  }

  async save(record: BarRecord, state: ArenaState, now: number): Promise<void> {
    await this.store.putDoc(ARENA_NS, barKey(this.runId, record.bar), JSON.stringify(record), now);
    await this.store.putDoc(ARENA_NS, stateKey(this.runId), JSON.stringify(state), now);
  }
}

/** What a bar leaves for the next one to start from. */
export function captureState(
  runId: string,
  next: number,
  agents: readonly Agent[],
  portfolio: Portfolio,
  books: AccountBooks,
  pending: number,
): ArenaState {
  const saved: Record<string, Json> = {};
  for (const agent of agents) if (agent.save) saved[agent.id] = agent.save();
  return {
    version: 1,
    runId,
    next,
    agents: agents.map((a) => a.id),
    books: portfolio.save() as ArenaState['books'],
    needsTouch: [...books.needsTouch],
    saved,
    decisionsSinceCheckpoint: pending,
    mismatches: books.mismatches,
    largestMiss: books.largestMiss,
  };
}

/** Puts a saved state back; returns the decisions counted since the last checkpoint. */
export function restoreState(state: ArenaState, agents: readonly Agent[], portfolio: Portfolio, books: AccountBooks) {
  portfolio.restore(state.books as SavedBook[]);
  state.needsTouch.forEach((v, a) => {
    books.needsTouch[a] = v;
  });
  books.mismatches = state.mismatches;
  books.largestMiss = state.largestMiss;
  for (const agent of agents) {
    const saved = state.saved[agent.id];
    if (saved !== undefined && agent.restore) agent.restore(saved as Json);
  }
  return state.decisionsSinceCheckpoint;
}
