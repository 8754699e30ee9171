import { ArenaAccounts } from '../../adapters/arena/arena-accounts.js';
import { ArenaVenue } from '../../adapters/arena/arena-venue.js';
import { ClockCachedMarket } from '../../adapters/arena/cached-market.js';
import { type NodeSigner, nodeHasher } from '../../adapters/crypto/node-signer.js';
import { ManualClock } from '../../adapters/market-data/manual-clock.js';
import { NO_TRADE_COUNTER } from '../../adapters/runtime/trade-counter.js';
import { SqliteStore } from '../../adapters/store/sqlite-store.js';
import { SimpleEventBus } from '../../adapters/system/event-bus.js';
import { DocumentAccounts, MemoryAccounts } from '../../adapters/venues/paper/paper-accounts.js';
import { PaperVenue } from '../../adapters/venues/paper/paper-venue.js';
import type { Agent } from '../../core/arena/index.js';
import type { MandateLoad } from '../../core/mandate/types.js';
import { DEFAULT_PAPER_CONFIG } from '../../core/paper/config.js';
import type { EventBus } from '../../ports/runtime.js';
import { ArenaEngine } from '../../services/arena/engine.js';
import { ScopedIdGen } from '../../services/arena/scoped-ids.js';
import type { ArenaConfig, ArenaParts } from '../../services/arena/types.js';
import type { ServiceDeps } from '../../services/deps.js';
import { FirewallService } from '../../services/firewall-service.js';
import { LedgerService } from '../../services/ledger-service.js';
import { arenaMandate, singleMandate } from './mandate.js';
import { type ArenaMarketSource, openSource } from './sources.js';

export const ARENA_VENUE = 'arena';
const VENUE_NS = 'arena-paper';

export interface ArenaSetup {
  readonly source: string;
  readonly seed: number;
  readonly bars?: number;
  readonly warmup: number;
  readonly funding?: string;
  /** CSV sources: bars of the file skipped before the first one (a study's window of real candles). */
  readonly offset?: number;
  /** Live venue feeds: the open time of the first traded bar, pinned in the state directory (see sources.ts). */
  readonly venueStart?: number;
  /** Live venue feeds: the state directory's file of the bars received (see sources.ts). */
  readonly venueJournal?: string;
  readonly capital: number;
  readonly signing: 'per-verdict' | 'checkpoint';
  readonly checkpointEvery: number;
  /** `:memory:` for a simulation, a file for a resumable live run. */
  readonly storePath: string;
  readonly runId: string;
  readonly persist: boolean;
  readonly mandate?: MandateLoad;
  /**
   * The installation's issuer key (ARBITER_SIGNING_KEY or ARBITER_HOME/keys/issuer.key): a run's checkpoints and
   * certificates verify against `arbiter pubkey` and nothing else. Never a key anyone could derive from the run.
   */
  readonly signer: NodeSigner;
  /** Publish verdicts, fills and leaderboard changes here (a server's bus: the dashboard listens). */
  readonly events?: EventBus;
  /**
   * The installation's HALT sentinels as they reach this arena (a server's runtime root: `live/HALT` and the
   * arena venue's `live/arena/HALT`). Without it a simulation has none.
   */
  readonly fileHalts?: (venue: string) => { global: boolean; venue: boolean };
  /** Agents whose `prepare` (a model call) runs at the same time, at most. */
  readonly concurrency?: number;
}

export interface AssembledArena {
  readonly engine: ArenaEngine;
  readonly parts: ArenaParts;
  readonly source: ArenaMarketSource;
  readonly store: SqliteStore;
  readonly signer: NodeSigner;
  close(): Promise<void>;
}

/**
 * Wires an arena the way the app wires the MCP path (same FirewallService, store, ledger and paper fill model);
 * only the clock (stepped by bar), the ids (scoped per decision) and the venue instance differ.
 */
export async function assembleArena(setup: ArenaSetup, agents: readonly Agent[]): Promise<AssembledArena> {
  const clock = new ManualClock(0);
  const source = await openSource(setup.source, { clock, ...setup });
  const { frame } = source;
  const bars = new Map([...source.candles].map(([sym, candles]) => [sym, { candles, timeframeMs: frame.timeframeMs }]));
  const market = new ClockCachedMarket(source.market, clock, bars);
  // The engine waits for every decision before it asks for the next: nothing to group into one commit.
  const store = new SqliteStore({ path: setup.storePath, hasher: nodeHasher, groupCommit: false });
  const { signer } = setup;
  const ids = new ScopedIdGen();
  // A resumable run keeps the venue's accounts in the store (one durable state); a simulation keeps them in memory.
  const accounts = new ArenaAccounts(setup.persist ? new DocumentAccounts(store, VENUE_NS) : new MemoryAccounts(), {
    retainMs: 2 * frame.timeframeMs,
    marketTime: () => market.marketTime(),
    isPerp: (symbol) => market.instrumentOf(symbol)?.kind !== 'spot',
  });
  const paper = new PaperVenue({ accounts, market, startingCash: setup.capital });
  const venue = new ArenaVenue(paper, accounts, market);
  const spotInst = source.market.instrumentOf(frame.spot.symbol);
  const mandate =
    setup.mandate ??
    arenaMandate(
      setup.capital,
      frame.spot.ts[0]!,
      frame.spot.ts[frame.length - 1]! + frame.timeframeMs,
      spotInst && spotInst.assetClass !== 'crypto'
        ? { instruments: [spotInst.instrumentType], assetClasses: [spotInst.assetClass] }
        : undefined,
    );
  const deps: ServiceDeps = {
    store,
    signer,
    hasher: nodeHasher,
    clock,
    ids,
    mandates: singleMandate(ARENA_VENUE, mandate),
    sentinels: { fileHalts: setup.fileHalts ?? (() => ({ global: false, venue: false })) },
    counter: NO_TRADE_COUNTER,
    market,
    venues: new Map([[ARENA_VENUE, venue]]),
    audit: { write: () => {} }, // the store keeps every audit record in the decision's transaction
    events: setup.events ?? new SimpleEventBus(),
    checkpointEvery: 0, // the arena signs checkpoints itself, at bar boundaries
  };
  const ledger = new LedgerService(deps);
  const firewall = new FirewallService(deps, ledger, { signing: setup.signing });
  const parts: ArenaParts = {
    deps,
    firewall,
    ledger,
    clock,
    ids,
    market: { frame, clockTimeOfBar: (i) => source.market.clockTimeOfBar(i), quote: (s) => market.quote(s) },
    venue,
    maintenanceMarginRate: DEFAULT_PAPER_CONFIG.maintenanceMarginRate,
    venueName: ARENA_VENUE,
  };
  const config: ArenaConfig = {
    runId: setup.runId,
    capital: setup.capital,
    startBar: source.startBar,
    endBar: source.endBar,
    checkpointEvery: setup.checkpointEvery,
    persist: setup.persist,
    ...(setup.concurrency === undefined ? {} : { concurrency: setup.concurrency }),
  };
  const engine = new ArenaEngine(parts, agents, config);
  return { engine, parts, source, store, signer, close: () => store.close() };
}
