import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeSigner, nodeEd25519Verify, nodeHasher } from '../../adapters/crypto/node-signer.js';
import { ScriptedMarketData, scriptedInstrument } from '../../adapters/market/scripted-market.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { MandateFiles, writeMandate } from '../../adapters/runtime/mandate-file.js';
import { fileHalts } from '../../adapters/runtime/sentinels.js';
import { TradeCounterFiles } from '../../adapters/runtime/trade-counter.js';
import { SqliteStore } from '../../adapters/store/sqlite-store.js';
import { SequentialIdGen } from '../../adapters/system/clock.js';
import { SimpleEventBus } from '../../adapters/system/event-bus.js';
import { FileAuditSink } from '../../adapters/system/file-audit.js';
import type { Certificate } from '../../core/cert/certificate.js';
import { type VerifyResult, verifyCertificate } from '../../core/cert/verify.js';
import { defaultMandate } from '../../core/mandate/schema.js';
import type { Mandate } from '../../core/mandate/types.js';
import type { Venue } from '../../ports/venue.js';
import type { ServiceDeps } from '../../services/deps.js';
import { FirewallService, type VetResult } from '../../services/firewall-service.js';

/** A clock the scenario moves by hand. */
export class StepClock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const T0 = Date.parse('2026-06-01T12:00:00Z');
export const BTC = 'BTC/USDT';
export const BTC_PERP = 'BTC/USDT:USDT';

export interface HarnessOptions {
  readonly mandate?: (m: Mandate) => Mandate;
  /** SQLite group commit (the default, as `arbiter serve` runs) or one commit per decision (benchmarks' A/B). */
  readonly groupCommit?: boolean;
  /** SQLite WAL checkpoints: on a worker once busy (the default), or inside commits as SQLite does (benchmarks). */
  readonly checkpoints?: 'background' | 'inline';
  readonly venue?: (h: { market: ScriptedMarketData; store: SqliteStore; clock: StepClock }) => Venue;
}

/**
 * A fresh runtime root, store and issuer key for one scenario, with scripted market conditions. Everything
 * else is the production path: the same FirewallService, store transaction, ledger and audit log.
 */
export class Harness {
  readonly dir: string;
  readonly layout: RuntimeLayout;
  readonly clock = new StepClock(T0);
  readonly market: ScriptedMarketData;
  readonly store: SqliteStore;
  readonly signer: NodeSigner;
  readonly firewall: FirewallService;
  readonly venue: Venue | null;
  readonly deps: ServiceDeps;
  private readonly audit: FileAuditSink;

  constructor(opts: HarnessOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'arbiter-redteam-'));
    this.layout = new RuntimeLayout(this.dir);
    const base = defaultMandate(new Date(T0 - 86_400_000), nodeHasher.sha256Hex('redteam-consent'), 'paper');
    writeMandate(this.layout, opts.mandate ? opts.mandate(base) : base);
    this.market = new ScriptedMarketData(this.clock, [
      scriptedInstrument(BTC, 60_000),
      scriptedInstrument('ETH/USDT', 3_000),
      scriptedInstrument('DOGE/USDT', 0.1, { stepSize: 1, minQty: 1, tickSize: 0.00001 }),
      scriptedInstrument(BTC_PERP, 60_000),
    ]);
    this.market.setQuote(BTC, 60_000, 60_010);
    this.market.setQuote('ETH/USDT', 3_000, 3_000.5);
    this.market.setQuote('DOGE/USDT', 0.1, 0.10001);
    this.market.setQuote(BTC_PERP, 60_020, 60_030);
    this.store = new SqliteStore({
      path: join(this.dir, 'arbiter.db'),
      hasher: nodeHasher,
      ...(opts.checkpoints ? { checkpoints: opts.checkpoints } : {}),
      ...(opts.groupCommit !== undefined ? { groupCommit: opts.groupCommit } : {}),
    });
    this.signer = new NodeSigner(NodeSigner.generatePem());
    this.venue = opts.venue ? opts.venue({ market: this.market, store: this.store, clock: this.clock }) : null;
    const layout = this.layout;
    const mandates = new MandateFiles(layout);
    const counters = new TradeCounterFiles(layout);
    this.audit = new FileAuditSink(layout.audit(), nodeHasher.sha256Hex);
    this.deps = {
      store: this.store,
      signer: this.signer,
      hasher: nodeHasher,
      clock: this.clock,
      ids: new SequentialIdGen(),
      mandates: { load: (v) => mandates.load(v) },
      sentinels: { fileHalts: (v) => fileHalts(layout, v) },
      counter: counters,
      market: this.market,
      venues: new Map(this.venue ? [['paper', this.venue]] : []),
      audit: this.audit,
      events: new SimpleEventBus(),
      checkpointEvery: 0,
    };
    this.firewall = new FirewallService(this.deps);
  }

  vet(intent: unknown, opts: { agent?: string; execute?: boolean; venue?: string } = {}): Promise<VetResult> {
    return this.firewall.vet(
      intent,
      { agentId: opts.agent ?? 'mallory', accountId: 'acct', venue: opts.venue ?? 'paper', sessionId: 'redteam' },
      { execute: opts.execute ?? false, remoteTool: 'redteam' },
    );
  }

  /** Seeds the account's positions and equity the way venue reconciliation does. */
  async seedPosition(symbol: string, qty: number, price: number, equity = 10_000): Promise<void> {
    await this.store.applyView(
      'acct',
      { asOf: null, equity, positions: [{ symbol, qty, avgPrice: price, mark: price }] },
      this.clock.now(),
    );
  }

  verify(cert: Certificate, opts: { rederive?: boolean } = {}): Promise<VerifyResult> {
    return verifyCertificate(cert, { keyId: this.signer.keyId, publicKey: this.signer.publicKey }, nodeEd25519Verify, {
      now: this.clock.now(),
      rederive: opts.rederive ?? false,
    });
  }

  async close(): Promise<void> {
    this.audit.close();
    await this.audit.flushed();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
