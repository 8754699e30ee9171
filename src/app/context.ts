import { mkdirSync } from 'node:fs';
import { type NodeSigner, nodeHasher } from '../adapters/crypto/node-signer.js';
import { withPredictionMarkets } from '../adapters/market-data/prediction-market-data.js';
import { writeFileAtomicAsync } from '../adapters/runtime/files.js';
import { loadSigner } from '../adapters/runtime/keys.js';
import { RuntimeLayout } from '../adapters/runtime/layout.js';
import { MandateFiles } from '../adapters/runtime/mandate-file.js';
import { fileHalts } from '../adapters/runtime/sentinels.js';
import { TradeCounterFiles } from '../adapters/runtime/trade-counter.js';
import { SqliteStore } from '../adapters/store/sqlite-store.js';
import { RandomIdGen } from '../adapters/system/clock.js';
import { SimpleEventBus } from '../adapters/system/event-bus.js';
import { FileAuditSink } from '../adapters/system/file-audit.js';
import type { Clock, IdGen } from '../ports/clock.js';
import type { MarketData } from '../ports/market-data.js';
import type { Store } from '../ports/store.js';
import type { Venue } from '../ports/venue.js';
import type { ServiceDeps } from '../services/deps.js';
import { FirewallService } from '../services/firewall-service.js';
import { LedgerService } from '../services/ledger-service.js';
import { recordSettlements } from '../services/settlement-records.js';
import { clockFor, createVenues, type SettlementSink, syntheticOutcomes } from './market.js';
import type { Settings } from './settings.js';

export interface AppContext {
  readonly settings: Settings;
  readonly layout: RuntimeLayout;
  readonly deps: ServiceDeps;
  readonly firewall: FirewallService;
  readonly ledger: LedgerService;
  close(): Promise<void>;
}

export interface ContextParts {
  readonly market: MarketData;
  readonly venues?: (store: Store, startingCash: () => number, settled?: SettlementSink) => ReadonlyMap<string, Venue>;
  readonly clock?: Clock;
  readonly ids?: IdGen;
  readonly store?: Store;
  readonly signer?: NodeSigner;
}

export async function openStore(settings: Settings, layout: RuntimeLayout): Promise<Store> {
  if (settings.databaseUrl) {
    const { PostgresStore } = await import('../adapters/store/postgres-store.js');
    const store = new PostgresStore({ url: settings.databaseUrl, hasher: nodeHasher });
    await store.init();
    return store;
  }
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  return new SqliteStore({ path: layout.database(), hasher: nodeHasher, synchronous: settings.sync });
}

/** Wires the ports to their adapters. The only place that picks adapters. */
export async function createContext(settings: Settings, parts: ContextParts): Promise<AppContext> {
  const layout = new RuntimeLayout(settings.home);
  mkdirSync(layout.live, { recursive: true, mode: 0o700 });
  const clock = parts.clock ?? clockFor(settings);
  const store = parts.store ?? (await openStore(settings, layout));
  const signer = parts.signer ?? loadSigner(layout);
  const mandates = new MandateFiles(layout);
  const counters = new TradeCounterFiles(layout);
  const audit = new FileAuditSink(layout.audit(), nodeHasher.sha256Hex);
  // A new paper account starts with the mandate's funding, so the firewall's equity and the venue's agree.
  const funding = () => {
    const m = mandates.load(settings.broker);
    return m.ok ? m.mandate.hard_caps.account_funding_usd : 10_000;
  };
  const settled: SettlementSink = (s) => recordSettlements(store, nodeHasher, audit, settings.broker, s);
  const deps: ServiceDeps = {
    store,
    signer,
    hasher: nodeHasher,
    clock,
    ids: parts.ids ?? new RandomIdGen(clock),
    mandates: { load: (venue) => mandates.load(venue) },
    sentinels: { fileHalts: (venue) => fileHalts(layout, venue) },
    counter: counters,
    // The paper venue's firewall also knows the synthetic prediction markets (list_markets): their outcome tokens are
    // vetted and the paper venue trades and settles them.
    market: settings.venue === 'paper' ? withPredictionMarkets(parts.market, clock) : parts.market,
    venues: parts.venues
      ? parts.venues(store, funding, settled)
      : createVenues(
          parts.market,
          store,
          funding,
          settings.broker,
          settings.paperLatencyMs,
          settings.venue === 'paper' ? syntheticOutcomes(clock, settled) : undefined,
        ),
    audit,
    events: new SimpleEventBus(),
    checkpointEvery: settings.checkpointEvery,
  };
  // The checkpoint mirror (outside the database, so a truncated database is caught) is written in the background:
  // its fsync held the event loop for ~10 ms, and awaiting it off the loop held the deciding request for 100+ ms
  // under load. One write at a time, in checkpoint order, so the file ends with the newest checkpoint; close()
  // waits for the last one. The checkpoint itself is in the database before checkpoint() returns.
  let mirrored: Promise<void> = Promise.resolve();
  const mirror = (cp: unknown): void => {
    const path = layout.checkpointFile();
    mirrored = mirrored
      .then(() => writeFileAtomicAsync(path, `${JSON.stringify(cp)}\n`))
      .catch((e) => {
        process.stderr.write(`arbiter: ledger checkpoint mirror not written to ${path}: ${(e as Error).message}\n`);
      });
  };
  const ledger = new LedgerService(deps, mirror);
  const firewall = new FirewallService(deps, ledger, { sendDeadlineMs: Math.floor(settings.recoverAfterMs / 2) });
  return {
    settings,
    layout,
    deps,
    firewall,
    ledger,
    close: async () => {
      audit.close();
      await audit.flushed();
      await mirrored;
      await store.close();
    },
  };
}
