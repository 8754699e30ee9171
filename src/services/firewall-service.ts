import { type Certificate, type CertificatePayload, canonicalJson } from '../core/cert/certificate.js';
import { orderContent, parseIntent } from '../core/firewall/intent.js';
import type { NormalizedIntent } from '../core/firewall/types.js';
import type { MandateLoad } from '../core/mandate/types.js';
import { approvalBinding, venueClientOrderId } from '../core/order/client-ids.js';
import { utcDay } from '../core/order/lifecycle.js';
import type { StoredOrder } from '../ports/store.js';
import type { VenueOrder } from '../ports/venue.js';
import type { ServiceDeps } from './deps.js';
import { mirrorAudit } from './firewall/audit-rows.js';
import { type Decided, decisionCallback } from './firewall/decision.js';
import { type ForwardResult, OrderForwarder, venueRequest } from './firewall/forward.js';
import { MarketInputReader, readPredictionContext } from './firewall/inputs.js';
import { readRiskInputs } from './firewall/risk-inputs.js';
import { asAgentSees, type Session, type VetOptions, type VetResult } from './firewall/types.js';
import { AccountViews } from './firewall/views.js';
import { LedgerService } from './ledger-service.js';

export type { Session, VetOptions, VetResult } from './firewall/types.js';
export { utcDay };

export interface FirewallOptions {
  /**
   * `per-verdict` (the default, and the only mode any door that serves agents uses): every certificate carries
   * its own Ed25519 signature. `checkpoint` (simulations only, e.g. the arena): the certificate's signature is
   * empty; the certificate is still hash-chained in the ledger, and the ledger's signed checkpoints bind it.
   */
  readonly signing?: 'per-verdict' | 'checkpoint';
  /**
   * An order not sent this long after its verdict is not sent (default 15 s). Crash recovery waits longer than
   * this before it concludes that an order the venue has never seen never will be.
   */
  readonly sendDeadlineMs?: number;
}

/**
 * The one path every order takes: normalise → evaluate → sign → one store transaction → venue → outcome →
 * audit → events. MCP, HTTP, the CLI, the SDK and the arena all call this. Its jobs live in ./firewall/: market
 * inputs, the decision callback, forwarding and recovery, account views, audit rows.
 */
export class FirewallService {
  readonly ledger: LedgerService;
  readonly views: AccountViews;
  readonly forwarder: OrderForwarder;
  private readonly inputs: MarketInputReader;
  private readonly mandateHashes = new WeakMap<object, string>();

  constructor(
    private readonly deps: ServiceDeps,
    ledger?: LedgerService,
    private readonly options: FirewallOptions = {},
  ) {
    this.ledger = ledger ?? new LedgerService(deps);
    this.views = new AccountViews(deps);
    this.forwarder = new OrderForwarder(deps, this.views, options.sendDeadlineMs ?? 15_000);
    this.inputs = new MarketInputReader(deps.market);
  }

  get issuer(): { keyId: string; publicKey: Uint8Array } {
    return { keyId: this.deps.signer.keyId, publicKey: this.deps.signer.publicKey };
  }

  /** sha256 of the order's content (client order id aside): the duplicate key and the approval binding. */
  contentKey(intent: NormalizedIntent): string {
    return this.deps.hasher.sha256Hex(canonicalJson(orderContent(intent)));
  }

  /** The client order id the venue is sent for an order of `agentId` bound to `binding` (see core/order). */
  venueClientOrderId(agentId: string, binding: string | null, verdictId: string): string {
    return venueClientOrderId(agentId, binding, verdictId, (s) => this.deps.hasher.sha256Hex(s));
  }

  /**
   * An order that is sent (`execute`) is decided, sent and counted under the broker's order-submission lock, the
   * one Vibe-Trading holds around the same three steps, so one daily cap holds across both programs. If the lock
   * cannot be had, the verdict is a signed REJECT ORDER_SUBMISSION_BUSY and nothing is sent. A dry run takes no lock.
   *
   * The instrument is read once before the lock is queued for: a process's first read can build its market data
   * (a synthetic market grows its bars up to now, a venue loads its markets), which took 3–4 s with 50 processes
   * at once, and every order queued behind the lock waited for it. Everything judged is read again under the lock.
   */
  async vet(raw: unknown, session: Session, options: VetOptions): Promise<VetResult> {
    if (!options.execute) return this.decideAndSend(raw, session, options, false);
    const parsed = parseIntent(raw);
    if (parsed.ok) await this.deps.market.instrument(parsed.intent.symbol).catch(() => null);
    const held = await this.deps.counter.withOrderLock(session.venue, () =>
      this.decideAndSend(raw, session, options, false),
    );
    return held.locked ? held.value : this.decideAndSend(raw, session, options, true);
  }

  private async decideAndSend(
    raw: unknown,
    session: Session,
    options: VetOptions,
    lockBusy: boolean,
  ): Promise<VetResult> {
    const d = this.deps;
    const dryRun = !options.execute && !options.amend;
    const mandate: MandateLoad = d.mandates.load(session.venue);
    const parsed = parseIntent(raw);
    const intent = parsed.ok ? parsed.intent : null;
    const ext = mandate.ok ? mandate.mandate.arbiter : null;
    const breakerWindowMs = (ext?.crash_breaker.window_minutes ?? 60) * 60_000;
    const receivedAt = () => d.clock.now();
    const instrument = await this.inputs.instrumentOf(intent, breakerWindowMs, receivedAt);
    const riskLimits = ext?.risk;
    const risk =
      intent && riskLimits
        ? await readRiskInputs(d.store, d.market, session.accountId, intent.symbol, riskLimits)
        : null;
    const venue = d.venues.get(session.venue);
    const prediction = await readPredictionContext(d.market, venue, session.accountId, instrument.instrument);
    if (venue?.live && mandate.ok)
      await this.views.refreshIfStale(
        session.accountId,
        venue,
        mandate.mandate.arbiter.max_account_staleness_ms,
        d.clock.now(),
      );
    // The quote last of all the reads, so that none of them counts against its age.
    const market = await this.inputs.withQuote(intent, instrument, options.quote, receivedAt);
    // The verdict's time is taken after the quote arrived: a quote is never judged from before it was received.
    const now = d.clock.now();
    const day = utcDay(now);
    const verdictId = d.ids.next('vdt');
    const orderKey = intent ? this.contentKey(intent) : null;
    // An approved execution is bound to a key no agent can send; an agent's order to its own client order id; an
    // amend to nothing (it changes an order that is bound already).
    const binding = options.approvedBy
      ? approvalBinding(options.approvedBy)
      : options.amend
        ? null
        : (intent?.client_order_id ?? null);
    const coid = this.venueClientOrderId(session.agentId, binding, verdictId);
    const decided: Decided = { ctx: null, evaluation: null, certificate: null, audit: null };
    const callback = decisionCallback(
      d,
      {
        raw,
        session,
        options,
        now,
        live: venue?.live ?? false,
        mandate,
        mandateHash: mandate.ok ? this.mandateHash(mandate.mandate) : undefined,
        market,
        prediction,
        risk,
        fileHalts: d.sentinels.fileHalts(session.venue),
        fileCount: d.counter.read(session.venue, day),
        verdictId,
        approvalId: options.execute ? d.ids.next('apr') : null,
        orderKey,
        venueClientOrderId: coid,
        signing: this.options.signing ?? 'per-verdict',
        lockBusy,
      },
      decided,
    );
    const outcome = await d.store.decide(
      {
        accountId: session.accountId,
        agentId: session.agentId,
        venue: session.venue,
        symbol: intent?.symbol ?? null,
        clientOrderId: binding,
        orderKey,
        // An approved execution is not a duplicate of its own pending verdict, an amend not one of its order, and
        // the kill switch's flatten orders are the operator's.
        contentKey: intent && !options.approvedBy && !options.amend && !options.operator ? orderKey : null,
        now,
        day,
        duplicateWindowMs: ext?.duplicate_window_ms ?? 0,
        initialEquity: mandate.ok ? mandate.mandate.hard_caps.account_funding_usd : 0,
        view: options.accountView ?? null,
        dryRun,
        ...(risk ? { withBook: true } : {}),
        ...(prediction ? { withCostBasis: true } : {}),
      },
      callback,
    );

    if (outcome.replayed) return this.replay(session, outcome.certificateJson, outcome.order, dryRun);
    const certificate = decided.certificate ?? (JSON.parse(outcome.certificateJson) as Certificate);
    if (outcome.seq && d.checkpointEvery > 0 && outcome.seq % d.checkpointEvery === 0) await this.ledger.checkpoint();

    const e = decided.evaluation;
    let forwarded: ForwardResult | null = null;
    if (options.execute && e?.intent && e.effective && (e.decision === 'ALLOW' || e.decision === 'ALLOW_CAPPED')) {
      const outcomeToken = decided.ctx?.instrument?.kind === 'prediction';
      const request = venueRequest(
        session,
        e.intent,
        e.effective.quantity,
        coid,
        outcomeToken ? e.effective.price : null,
      );
      forwarded = await this.forwarder.forward(session, verdictId, now, request, {
        payload: certificate.payload,
        evaluation: e,
        remoteTool: options.remoteTool ?? null,
      });
      if (forwarded.state !== 'rejected_by_venue') {
        const counted = decided.ctx?.account.daily_count ?? 0;
        d.counter.write(session.venue, day, counted + 1);
      }
    }
    if (decided.audit) mirrorAudit(d.audit, decided.audit);
    this.publishVerdict(session, certificate.payload, e?.intent ?? null, dryRun);
    return {
      certificate,
      certificateJson: outcome.certificateJson,
      replayed: false,
      order: forwarded?.order ? asAgentSees(forwarded.order, options.approvedBy ? null : binding) : null,
      orderState: forwarded?.state ?? null,
      orderError: forwarded?.error ?? null,
      approvalId: certificate.payload.approval_id ?? null,
      dryRun,
    };
  }

  /** A replay returns the stored verdict's bytes and its order: as the venue knows it now, else as recorded. */
  private async replay(
    session: Session,
    certificateJson: string,
    stored: StoredOrder | null,
    dryRun: boolean,
  ): Promise<VetResult> {
    const certificate = JSON.parse(certificateJson) as Certificate;
    let order: VenueOrder | null = null;
    if (stored) {
      const venue = this.deps.venues.get(session.venue);
      const found = venue
        ? await venue.orderByClientId(session.accountId, stored.clientOrderId).catch(() => null)
        : null;
      order = found ? asAgentSees(found, stored.agentClientOrderId) : null;
    }
    return {
      certificate,
      certificateJson,
      replayed: true,
      order,
      orderState: stored?.status ?? null,
      orderError: null,
      approvalId: certificate.payload.approval_id ?? null,
      dryRun,
    };
  }

  private publishVerdict(
    session: Session,
    p: CertificatePayload,
    intent: NormalizedIntent | null,
    dryRun: boolean,
  ): void {
    const events = this.deps.events;
    events.publish({
      type: 'verdict',
      data: {
        id: p.id,
        agent_id: session.agentId,
        decision: p.decision,
        reasons: p.reasons.map((r) => r.code),
        symbol: intent?.symbol ?? null,
        side: intent?.side ?? null,
        notional: p.effective?.notional ?? 0,
        ts: Date.parse(p.issued_at),
        ...(dryRun ? { dry_run: true } : {}),
      },
    });
    if (p.decision === 'PENDING_APPROVAL' && p.approval_id)
      events.publish({
        type: 'approval',
        data: { approval_id: p.approval_id, status: 'pending', agent_id: session.agentId, ts: Date.parse(p.issued_at) },
      });
  }

  private mandateHash(m: object): string {
    let h = this.mandateHashes.get(m);
    if (!h) {
      h = `sha256:${this.deps.hasher.sha256Hex(canonicalJson(m))}`;
      this.mandateHashes.set(m, h);
    }
    return h;
  }
}
