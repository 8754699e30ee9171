import { NodeSigner, nodeEd25519Verify, nodeHasher } from '../adapters/crypto/node-signer.js';
import { createSyntheticMarketData } from '../adapters/market-data/synthetic-market-data.js';
import { NO_TRADE_COUNTER } from '../adapters/runtime/trade-counter.js';
import { SqliteStore } from '../adapters/store/sqlite-store.js';
import { RandomIdGen, systemClock } from '../adapters/system/clock.js';
import { SimpleEventBus } from '../adapters/system/event-bus.js';
import { PaperVenue } from '../adapters/venues/paper/paper-venue.js';
import type { Certificate } from '../core/cert/certificate.js';
import { type VerifyResult, verifyCertificate } from '../core/cert/verify.js';
import type { Mandate } from '../core/mandate/types.js';
import type { PaperMarketView } from '../core/paper/market-view.js';
import type { Clock, IdGen } from '../ports/clock.js';
import type { MarketData } from '../ports/market-data.js';
import type { AuditSink, EventBus } from '../ports/runtime.js';
import type { Signer } from '../ports/signer.js';
import type { Store } from '../ports/store.js';
import type { Venue } from '../ports/venue.js';
import type { ServiceDeps } from '../services/deps.js';
import { FirewallService, type VetResult } from '../services/firewall-service.js';
import { LedgerService } from '../services/ledger-service.js';
import { SYNTHETIC_EPOCH } from './market.js';

/** What `createFirewall` needs: your adapters for the ports, and the mandate to enforce. */
export interface CreateFirewallOptions {
  /** Where reservations, counters, the ledger and verdicts live (`openSqliteStore(path)`, or your own Store). */
  readonly store: Store;
  /** Where allowed orders go (`createPaperVenue(…)`, or your own Venue). Its `name` keys the mandate. */
  readonly venue: Venue;
  /** Quotes, instruments and candles the firewall judges against. */
  readonly market: MarketData;
  /** Signs every verdict (`generateSigner()`, `signerFromPem(pem)`, or your own Signer). */
  readonly signer: Signer;
  /** The mandate enforced on this venue. Without one every verdict is a signed REJECT (MANDATE_MISSING). */
  readonly mandate?: Mandate;
  readonly clock?: Clock;
  readonly ids?: IdGen;
  /** Receives every verdict, order and fill event. */
  readonly events?: EventBus;
  /** Receives each redacted audit record as JSON text (the store keeps them too). */
  readonly audit?: AuditSink;
}

/** Who is asking: in your program, you decide; the firewall never reads identity from the intent. */
export interface Principal {
  readonly agentId: string;
  /** The venue account the agent trades (default: the agent id). */
  readonly accountId?: string;
}

export interface EmbeddedFirewall {
  /** The full firewall service (the one MCP, HTTP, the CLI and the arena call). */
  readonly service: FirewallService;
  /** The key id and raw public key that sign every verdict: pin them to verify offline. */
  readonly issuer: { readonly keyId: string; readonly publicKey: Uint8Array };
  /** A dry run: judged exactly as the order would be and signed; nothing is reserved, counted or sent. */
  vet(intent: unknown, who: Principal): Promise<VetResult>;
  /** Judges the order and, if allowed, sends it to the venue sized at the effective quantity. */
  place(intent: unknown, who: Principal): Promise<VetResult>;
  /** Checks a certificate against this firewall's issuer key and re-derives its decision. */
  verify(certificate: Certificate | unknown, options?: { readonly allowExpired?: boolean }): Promise<VerifyResult>;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * The firewall with your own adapters: the same FirewallService, gates, signing, store transaction and ledger as
 * `arbiter serve`, without a runtime root (no mandate file, no halt files, no Vibe-Trading trade-counter file).
 */
export function createFirewall(o: CreateFirewallOptions): EmbeddedFirewall {
  const clock = o.clock ?? systemClock;
  const venueName = o.venue.name;
  const deps: ServiceDeps = {
    store: o.store,
    signer: o.signer,
    hasher: nodeHasher,
    clock,
    ids: o.ids ?? new RandomIdGen(clock),
    mandates: {
      load: (v) =>
        o.mandate && v === venueName
          ? { ok: true, mandate: o.mandate }
          : { ok: false, code: 'MANDATE_MISSING', message: `MANDATE_MISSING: venue=${v}` },
    },
    sentinels: { fileHalts: () => ({ global: false, venue: false }) },
    counter: NO_TRADE_COUNTER,
    market: o.market,
    venues: new Map([[venueName, o.venue]]),
    audit: o.audit ?? { write: () => {} },
    events: o.events ?? new SimpleEventBus(),
    checkpointEvery: 100,
  };
  const service = new FirewallService(deps, new LedgerService(deps));
  const session = (who: Principal) => ({
    agentId: who.agentId,
    accountId: who.accountId ?? who.agentId,
    venue: venueName,
    sessionId: 'embedded',
  });
  return {
    service,
    issuer: service.issuer,
    vet: (intent, who) => service.vet(intent, session(who), { execute: false, remoteTool: 'sdk.vet' }),
    place: (intent, who) => service.vet(intent, session(who), { execute: true, remoteTool: 'sdk.place' }),
    verify: (certificate, options = {}) =>
      verifyCertificate(certificate, service.issuer, nodeEd25519Verify, {
        now: clock.now(),
        allowExpired: options.allowExpired ?? false,
        rederive: true,
      }),
    close: () => o.store.close(),
  };
}

/** The embedded SQLite store (WAL) at `path` (`:memory:` for a throwaway one). */
export function openSqliteStore(path: string): Store {
  return new SqliteStore({ path, hasher: nodeHasher });
}

/** A fresh Ed25519 issuer key (keep `NodeSigner.generatePem()`'s output to reuse one). */
export function generateSigner(): Signer {
  return new NodeSigner(NodeSigner.generatePem());
}

/** An Ed25519 signer from a PKCS#8 PEM private key. */
export function signerFromPem(pem: string): Signer {
  return new NodeSigner(pem);
}

/** The synthetic market `arbiter serve` uses by default: BTC, ETH, SOL spot and perpetuals, prices a function of time. */
export function createSyntheticMarket(options: { readonly seed?: number; readonly clock?: Clock } = {}): MarketData {
  return createSyntheticMarketData({
    clock: options.clock ?? systemClock,
    seed: options.seed ?? 7,
    timeframe: '1h',
    startTs: SYNTHETIC_EPOCH,
    warmupBars: 0,
  });
}

/** The paper exchange (named `paper`: realistic fills, fees, funding, margin) over a market that can drive it. */
export function createPaperVenue(o: {
  readonly store: Store;
  readonly market: MarketData;
  /** What a new account starts with, in USD (default 10,000). */
  readonly startingCash?: number;
}): Venue {
  const market = o.market as MarketData & Partial<PaperMarketView>;
  if (typeof market.marketTime !== 'function')
    throw new TypeError(
      'createPaperVenue needs market data that can drive the paper exchange (createSyntheticMarket(), or csv market data)',
    );
  return new PaperVenue({
    store: o.store,
    market: market as MarketData & PaperMarketView,
    startingCash: o.startingCash ?? 10_000,
  });
}
