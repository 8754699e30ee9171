import type { AuditRecord } from '../core/audit/record.js';
import { redactedJson, redactProperty } from '../core/audit/redact.js';
import { DRY_RUN_KIND, vibeAuditRecord } from '../core/audit/vibe-record.js';
import { immutable } from '../core/cert/canonical.js';
import {
  base64url,
  buildPayload,
  type Certificate,
  type CertificatePayload,
  canonicalJson,
  utf8,
} from '../core/cert/certificate.js';
import { evaluate } from '../core/firewall/engine.js';
import { orderContent, parseIntent } from '../core/firewall/intent.js';
import type { Evaluation, EvaluationContext, NormalizedIntent } from '../core/firewall/types.js';
import type { MandateLoad } from '../core/mandate/types.js';
import type { Instrument, Quote } from '../core/market/types.js';
import type { AccountSync, ApprovalRecord, AuditRow, DecideState, OrderOutcome } from '../ports/store.js';
import { type Venue, VenueError, type VenueOrder, type VenueOrderRequest } from '../ports/venue.js';
import type { ServiceDeps } from './deps.js';
import { LedgerService } from './ledger-service.js';

/** Who is asking: always from the authenticated session, never from the intent. */
export interface Session {
  readonly agentId: string;
  readonly accountId: string;
  readonly venue: string;
  readonly sessionId: string;
}

export interface VetOptions {
  /** Forward an ALLOW / ALLOW_CAPPED order to the venue (otherwise a dry run: nothing is reserved or counted). */
  readonly execute: boolean;
  /** Test-only override of the reference quote. */
  readonly quote?: { readonly bid: number; readonly ask: number; readonly ts?: number };
  /** Which door the intent came through, for the audit log (`cli.vet`, `mcp.place_order`, …). */
  readonly remoteTool?: string;
  /** How long a PENDING_APPROVAL stays approvable (ms). */
  readonly approvalTtlMs?: number;
  /** Set only by the approval service after a human approved this exact order out of band. */
  readonly approvedBy?: string;
  /**
   * The account as the caller has reconciled it (the arena's books), stored as `Store.syncAccount` would store
   * it before the state is read: in the decision's transaction where the store can.
   */
  readonly accountSync?: AccountSync;
}

export interface VetResult {
  readonly certificate: Certificate;
  readonly certificateJson: string;
  readonly replayed: boolean;
  readonly order: VenueOrder | null;
  readonly orderError: { readonly code: string; readonly message: string } | null;
  readonly approvalId: string | null;
}

const DEFAULT_APPROVAL_TTL_MS = 15 * 60_000;

export interface FirewallOptions {
  /**
   * `per-verdict` (the default, and the only mode any door that serves agents uses): every certificate carries
   * its own Ed25519 signature. `checkpoint` (simulations only, e.g. the arena): the certificate's signature is
   * empty; the certificate is still hash-chained in the ledger, and the ledger's signed checkpoints bind it.
   */
  readonly signing?: 'per-verdict' | 'checkpoint';
}

/** The UTC date of `ms` (YYYY-MM-DD); the current day is remembered, so most calls format nothing. */
let dayFrom = 0;
let dayTo = 0;
let dayText = '';
export function utcDay(ms: number): string {
  if (ms >= dayFrom && ms < dayTo) return dayText;
  const text = new Date(ms).toISOString().slice(0, 10);
  dayFrom = ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
  dayTo = dayFrom + 86_400_000;
  dayText = text;
  return text;
}

/**
 * The one path every order takes: normalise → evaluate → sign → one store transaction → venue → outcome →
 * audit → events. MCP, HTTP, the CLI, the SDK and the arena all call this.
 */
export class FirewallService {
  readonly ledger: LedgerService;
  private readonly mandateHashes = new WeakMap<object, string>();
  private readonly instruments = new Map<string, Instrument>();
  private readonly internedFrom = new WeakMap<Instrument, Instrument>();
  /** The interned instruments' keys in the order they came (a ring: the oldest is let go). */
  private readonly internOrder: (string | undefined)[] = new Array(256).fill(undefined);
  private internNext = 0;

  constructor(
    private readonly deps: ServiceDeps,
    ledger?: LedgerService,
    private readonly options: FirewallOptions = {},
  ) {
    this.ledger = ledger ?? new LedgerService(deps);
  }

  get issuer(): { keyId: string; publicKey: Uint8Array } {
    return { keyId: this.deps.signer.keyId, publicKey: this.deps.signer.publicKey };
  }

  private async quoteFor(intent: NormalizedIntent | null, options: VetOptions, now: number): Promise<Quote | null> {
    if (!intent) return null;
    if (options.quote)
      return { symbol: intent.symbol, bid: options.quote.bid, ask: options.quote.ask, ts: options.quote.ts ?? now };
    try {
      return await this.deps.market.quote(intent.symbol);
    } catch {
      return null; // fail-closed: no quote is QUOTE_MISSING
    }
  }

  /** Sign a payload: Ed25519 over its RFC 8785 canonical JSON. */
  sign(payload: CertificatePayload): Certificate {
    const signature = base64url(this.deps.signer.sign(utf8(canonicalJson(payload))));
    return { alg: 'Ed25519', payload, signature };
  }

  /** sha256 of the order's content (client order id aside): the duplicate key and the approval binding. */
  contentKey(intent: NormalizedIntent): string {
    return this.deps.hasher.sha256Hex(canonicalJson(orderContent(intent)));
  }

  /**
   * An order that is sent (`execute`) is decided, sent and counted under the broker's order-submission lock, the
   * one Vibe-Trading holds around the same three steps, so one daily cap holds across both programs. If the lock
   * cannot be had, the verdict is a signed REJECT ORDER_SUBMISSION_BUSY and nothing is sent. A dry run takes no lock.
   */
  async vet(raw: unknown, session: Session, options: VetOptions): Promise<VetResult> {
    if (!options.execute) return this.decideAndSend(raw, session, options, false);
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
    const now = d.clock.now();
    const day = utcDay(now);
    const mandate: MandateLoad = d.mandates.load(session.venue);
    const parsed = parseIntent(raw);
    const intent = parsed.ok ? parsed.intent : null;
    const quote = await this.quoteFor(intent, options, now);
    const instrument = intent ? this.interned(await d.market.instrument(intent.symbol).catch(() => null)) : null;
    const ext = mandate.ok ? mandate.mandate.arbiter : null;
    const windowMs = (ext?.crash_breaker.window_minutes ?? 60) * 60_000;
    let windowHigh = intent ? await d.market.windowHigh(intent.symbol, windowMs).catch(() => null) : null;
    if (quote && Number.isFinite(quote.bid) && Number.isFinite(quote.ask) && quote.bid > 0 && quote.ask > 0) {
      windowHigh = Math.max(windowHigh ?? 0, (quote.bid + quote.ask) / 2);
    }
    const venue = d.venues.get(session.venue);
    if (venue?.live && mandate.ok)
      await this.refreshIfStale(session, venue, mandate.mandate.arbiter.max_account_staleness_ms, now);
    const fileHalts = d.sentinels.fileHalts(session.venue);
    const fileCount = d.counter.read(session.venue, day);
    const verdictId = d.ids.next('vdt');
    const approvalId = options.execute ? d.ids.next('apr') : null;
    const live = venue?.live ?? false;
    let evaluation: Evaluation | null = null;
    let ctx: EvaluationContext | null = null;
    let audited: AuditRow | null = null;
    let signed: Certificate | null = null;

    const outcome = await d.store.decide(
      {
        accountId: session.accountId,
        agentId: session.agentId,
        venue: session.venue,
        symbol: intent?.symbol ?? null,
        clientOrderId: intent?.client_order_id ?? null,
        // An approved execution is not a duplicate of its own pending verdict.
        contentKey: intent && !options.approvedBy ? this.contentKey(intent) : null,
        now,
        day,
        duplicateWindowMs: ext?.duplicate_window_ms ?? 0,
        initialEquity: mandate.ok ? mandate.mandate.hard_caps.account_funding_usd : 0,
        sync: options.accountSync ?? null,
      },
      (state: DecideState) => {
        ctx = {
          now,
          agent_id: session.agentId,
          account_id: session.accountId,
          venue: session.venue,
          live,
          mandate,
          halts: {
            global: fileHalts.global || state.halts.global,
            venue: fileHalts.venue || state.halts.venue,
            agent: state.halts.agent,
          },
          quote,
          instrument,
          account: { ...state.account, daily_count: Math.max(state.account.daily_count, fileCount) },
          // A human-approved execution is the human's act, not part of the agent's burst.
          throttle: options.approvedBy ? { last_second: 0, last_minute: 0 } : state.throttle,
          recent_duplicate: state.recent_duplicate,
          market: { window_high: windowHigh, breaker_tripped: state.breaker_tripped },
          ...(options.approvedBy ? { approved_by_human: options.approvedBy } : {}),
          ...(lockBusy ? { order_lock_busy: true } : {}),
        };
        const e = evaluate(raw, ctx);
        evaluation = e;
        const pending = e.decision === 'PENDING_APPROVAL' && approvalId !== null;
        const payload = buildPayload(
          {
            id: verdictId,
            keyId: d.signer.keyId,
            raw,
            ctx,
            evaluation: e,
            ...(pending ? { approvalId } : {}),
            ...(mandate.ok ? { mandateHash: this.mandateHash(mandate.mandate) } : {}),
          },
          (s) => d.hasher.sha256Hex(s),
        );
        // The certificate's text is written around the payload's canonical text (no second serialisation). With a
        // signer that can sign on another thread, the signature is made while the store writes the other rows of
        // the commit (the ledger records, which hold them, are written last) when other decisions share it. A lone
        // decision signs inline: a build that handed it over too saved ~20 µs at p50 on one caller but doubled p99
        // (~0.9 → ~1.7 ms: waking the other thread), in bench:firewall.
        const text = canonicalJson(payload);
        const finish = (signature: string): string => {
          signed = { alg: 'Ed25519', payload, signature };
          return `{"alg":"Ed25519","payload":${text},"signature":"${signature}"}`;
        };
        let certificateJson: string | (() => string);
        if (this.options.signing === 'checkpoint') certificateJson = finish('');
        else if (d.signer.signSoon && (state.groupSize ?? 1) > 1) {
          const claim = d.signer.signSoon(utf8(text));
          certificateJson = () => finish(base64url(claim()));
        } else certificateJson = finish(base64url(d.signer.sign(utf8(text))));
        const forward = options.execute && (e.decision === 'ALLOW' || e.decision === 'ALLOW_CAPPED') && e.effective;
        // A forwarded order is audited with its venue outcome; anything else is audited with the verdict.
        if (!forward)
          audited = this.audit(session, payload, e, null, null, null, options.remoteTool ?? null, options.execute);
        let approval: ApprovalRecord | null = null;
        if (pending && e.intent && e.effective) {
          approval = {
            approvalId,
            verdictId,
            accountId: session.accountId,
            agentId: session.agentId,
            venue: session.venue,
            orderHash: `sha256:${this.contentKey(e.intent)}`,
            intentJson: JSON.stringify(raw),
            notional: e.effective.notional,
            createdAt: now,
            expiresAt: now + (options.approvalTtlMs ?? DEFAULT_APPROVAL_TTL_MS),
          };
        }
        return {
          verdictId,
          decision: e.decision,
          certificateJson,
          reserve:
            forward && e.intent && e.effective
              ? {
                  symbol: e.intent.symbol,
                  side: e.intent.side,
                  quantity: e.effective.quantity,
                  notional: e.effective.notional,
                  adds: !e.reduces,
                }
              : null,
          breaker: e.breaker_tripped ? 'trip' : e.breaker_cleared ? 'clear' : 'none',
          approval,
          audit: audited,
        };
      },
    );

    // A replay returns the stored bytes; a new verdict is the certificate just signed (not re-parsed).
    const certificate =
      outcome.replayed || !signed ? (JSON.parse(outcome.certificateJson) as Certificate) : (signed as Certificate);
    if (outcome.replayed) {
      const order = await this.existingOrder(session, certificate);
      return {
        certificate,
        certificateJson: outcome.certificateJson,
        replayed: true,
        order,
        orderError: null,
        approvalId: certificate.payload.approval_id ?? null,
      };
    }
    if (outcome.seq && d.checkpointEvery > 0 && outcome.seq % d.checkpointEvery === 0) await this.ledger.checkpoint();

    const e = evaluation as Evaluation | null;
    let order: VenueOrder | null = null;
    let orderError: { code: string; message: string } | null = null;
    let request: VenueOrderRequest | null = null;
    if (options.execute && e?.intent && e.effective && (e.decision === 'ALLOW' || e.decision === 'ALLOW_CAPPED')) {
      request = this.venueRequest(session, e.intent, e.effective.quantity, verdictId);
      const r = await this.forward(session, verdictId, request, {
        payload: certificate.payload,
        evaluation: e,
        remoteTool: options.remoteTool ?? null,
      });
      order = r.order;
      orderError = r.error;
      if (!orderError) {
        const counted = (ctx as EvaluationContext | null)?.account.daily_count ?? 0;
        d.counter.write(session.venue, day, counted + 1);
      }
    }
    if (audited) this.writeAuditFile(audited);
    d.events.publish({
      type: 'verdict',
      data: {
        id: verdictId,
        agent_id: session.agentId,
        decision: certificate.payload.decision,
        reasons: certificate.payload.reasons.map((r) => r.code),
        symbol: e?.intent?.symbol ?? null,
        side: e?.intent?.side ?? null,
        notional: certificate.payload.effective?.notional ?? 0,
        ts: now,
      },
    });
    if (certificate.payload.decision === 'PENDING_APPROVAL' && approvalId)
      d.events.publish({
        type: 'approval',
        data: { approval_id: approvalId, status: 'pending', agent_id: session.agentId },
      });
    return {
      certificate,
      certificateJson: outcome.certificateJson,
      replayed: false,
      order,
      orderError,
      approvalId: certificate.payload.approval_id ?? null,
    };
  }

  venueRequest(session: Session, intent: NormalizedIntent, quantity: number, verdictId: string): VenueOrderRequest {
    return {
      accountId: session.accountId,
      clientOrderId: intent.client_order_id ?? verdictId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      quantity,
      limitPrice: intent.limit_price,
      timeInForce: intent.time_in_force,
      reduceOnly: intent.reduce_only,
      leverage: intent.leverage,
    };
  }

  private async existingOrder(session: Session, cert: Certificate): Promise<VenueOrder | null> {
    const venue = this.deps.venues.get(session.venue);
    const coid = (cert.payload.intent as { client_order_id?: string } | null)?.client_order_id;
    if (!venue || !coid) return null;
    return venue.orderByClientId(session.accountId, coid).catch(() => null);
  }

  /**
   * Sends a vetted order and records what happened in one store transaction with the venue's account view.
   * A timeout is resolved by looking the order up by client order id, never by sending it again.
   */
  async forward(
    session: Session,
    verdictId: string,
    request: VenueOrderRequest,
    audit: { payload: CertificatePayload; evaluation: Evaluation | null; remoteTool: string | null },
  ): Promise<{ order: VenueOrder | null; error: { code: string; message: string } | null }> {
    const d = this.deps;
    const venue = d.venues.get(session.venue);
    let outcome: OrderOutcome;
    let order: VenueOrder | null = null;
    let error: { code: string; message: string } | null = null;
    if (!venue) {
      error = { code: 'VENUE_UNAVAILABLE', message: `VENUE_UNAVAILABLE: venue=${session.venue}` };
    } else {
      try {
        order = await venue.placeOrder(request);
      } catch (e) {
        if (e instanceof VenueError && e.code === 'TIMEOUT') {
          order = await venue.orderByClientId(session.accountId, request.clientOrderId).catch(() => null);
        }
        if (!order) {
          const code = e instanceof VenueError ? e.code : 'UNKNOWN';
          error = { code, message: e instanceof Error ? e.message.slice(0, 300) : String(e) };
        }
      }
    }
    if (order) {
      const done = ['filled', 'cancelled', 'rejected', 'expired'].includes(order.status);
      outcome = {
        kind: 'accepted',
        venueOrderId: order.orderId,
        status: order.status,
        filledQuantity: order.filledQuantity,
        avgPrice: order.avgFillPrice,
        done,
      };
    } else {
      outcome = { kind: 'failed', code: error?.code ?? 'UNKNOWN', message: error?.message ?? 'unknown' };
    }
    const sync = venue ? await this.accountSync(session.accountId, venue).catch(() => undefined) : undefined;
    const audited = this.audit(session, audit.payload, audit.evaluation, request, order, error, audit.remoteTool);
    await d.store.recordOrderOutcome(verdictId, outcome, d.clock.now(), sync, audited);
    this.writeAuditFile(audited);
    if (order) {
      d.events.publish({ type: 'order', data: { verdict_id: verdictId, agent_id: session.agentId, ...order } });
      for (const f of order.fills)
        d.events.publish({
          type: 'fill',
          data: { verdict_id: verdictId, agent_id: session.agentId, symbol: order.symbol, side: order.side, ...f },
        });
    }
    return { order, error };
  }

  /**
   * A live venue's account state is refreshed before judging when it is older than half the staleness limit.
   * If the venue cannot be reached the state stays old, and the exposure gate refuses what adds risk.
   */
  private async refreshIfStale(session: Session, venue: Venue, maxAgeMs: number, now: number): Promise<void> {
    const snap = await this.deps.store.accountSnapshot(session.accountId, null, now, 0);
    if (snap.synced_at !== null && now - snap.synced_at <= maxAgeMs / 2) return;
    try {
      await this.deps.store.syncAccount(
        session.accountId,
        await this.accountSync(session.accountId, venue),
        this.deps.clock.now(),
      );
    } catch {
      // stays stale: fail-closed in the exposure gate
    }
  }

  /** The venue's account view, as the store keeps it for the firewall. */
  async accountSync(accountId: string, venue: Venue) {
    const [balance, positions] = await Promise.all([venue.balance(accountId), venue.positions(accountId)]);
    return {
      equity: balance.equity,
      positions: positions.map((p) => ({
        symbol: p.symbol,
        qty: p.quantity,
        avgPrice: p.entryPrice,
        mark: p.markPrice,
      })),
    };
  }

  /**
   * Instruments rarely change: each distinct one is kept as one immutable object, so its canonical text (part of
   * every certificate) is computed once. An instrument object the market data handed over before (market data
   * hands out readonly instruments, often the same object for a while) is not serialised again to find its copy.
   */
  private interned(inst: Instrument | null): Instrument | null {
    if (!inst) return null;
    const known = this.internedFrom.get(inst);
    if (known) return known;
    const key = JSON.stringify(inst);
    let hit = this.instruments.get(key);
    if (!hit) {
      // Bounded (a replay's instruments change with every bar: their average daily volume does): the 256th
      // newest is let go. Unconditionally, so that no branch first taken by the 257th deoptimises vet().
      this.instruments.delete(this.internOrder[this.internNext] as string);
      this.internOrder[this.internNext] = key;
      this.internNext = (this.internNext + 1) % this.internOrder.length;
      hit = immutable({ ...inst });
      this.instruments.set(key, hit);
    }
    this.internedFrom.set(inst, hit);
    return hit;
  }

  private mandateHash(m: object): string {
    let h = this.mandateHashes.get(m);
    if (!h) {
      h = `sha256:${this.deps.hasher.sha256Hex(canonicalJson(m))}`;
      this.mandateHashes.set(m, h);
    }
    return h;
  }

  /**
   * A decision's audit row: the redacted Vibe-Trading record's JSON text, written in one walk (`redactedJson`),
   * with the row's columns as redaction leaves them.
   */
  private audit(
    session: Session,
    p: CertificatePayload,
    e: Evaluation | null,
    request: VenueOrderRequest | null,
    order: VenueOrder | null,
    orderError: { code: string; message: string } | null,
    remoteTool: string | null,
    execute = true,
  ): AuditRow {
    const record = this.unredactedAudit(session, p, e, request, order, orderError, remoteTool, execute);
    return {
      audit_id: redactProperty('audit_id', record.audit_id) as string,
      ts: redactProperty('ts', record.ts) as string,
      kind: redactProperty('kind', record.kind) as string,
      agent_id: session.agentId,
      body: redactedJson(record) as string,
    };
  }

  private unredactedAudit(
    session: Session,
    p: CertificatePayload,
    e: Evaluation | null,
    request: VenueOrderRequest | null,
    order: VenueOrder | null,
    orderError: { code: string; message: string } | null,
    remoteTool: string | null,
    execute: boolean,
  ): AuditRecord {
    return vibeAuditRecord({
      auditId: this.deps.ids.next('la'),
      sessionId: session.sessionId,
      broker: session.venue,
      remoteTool,
      execute,
      payload: p,
      intent: e?.intent ?? null,
      request,
      order,
      orderError,
    });
  }

  /** The runtime root's `live/audit.jsonl` mirror (the row's body). The store already holds the record. */
  private writeAuditFile(row: AuditRow): void {
    if (row.kind === DRY_RUN_KIND) return; // a dry run is not a live action: the store keeps its record
    try {
      this.deps.audit.write(row.body);
    } catch {
      // The store holds the record in the decision's transaction; a failed file mirror must not undo it.
    }
  }
}
