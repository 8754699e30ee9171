import type { Certificate } from '../../core/cert/certificate.js';
import { parseIntent } from '../../core/firewall/intent.js';
import type { Evaluation } from '../../core/firewall/types.js';
import type { AccountView } from '../../ports/store.js';
import type { VenueOrder } from '../../ports/venue.js';
import { venueRequest } from '../firewall/forward.js';
import type { Session } from '../firewall-service.js';
import type { ArenaParts } from './types.js';

export interface SubmitOutcome {
  readonly verdictId: string;
  readonly decision: string;
  readonly reasons: readonly string[];
  readonly order: VenueOrder | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

const REMOTE_TOOL = 'arena';

/**
 * Sends one agent's intent for one bar through the firewall (vet with execute: true: the one order path).
 * A decision already in the store (the bar is being redone after a crash) is never vetted again: its order is
 * sent if the crash came between verdict and venue, otherwise the venue's order is looked up.
 */
export class Submitter {
  /**
   * Whether the store held no ledger record before this submitter's first decision. Then every decision in it
   * is this submitter's, and a scope it has not been given before cannot have one: no lookup before vetting.
   */
  private startedEmpty: boolean | null = null;

  constructor(private readonly parts: ArenaParts) {}

  /** `again`: this scope may have been submitted before by this submitter (a bar decided a second time). */
  async submit(
    session: Session,
    scope: string,
    intent: unknown,
    view: AccountView,
    again: boolean,
  ): Promise<SubmitOutcome> {
    const { deps, ids, firewall } = this.parts;
    ids.scope(scope);
    this.startedEmpty ??= (await deps.store.ledgerHead()).count === 0;
    const stored = this.startedEmpty && !again ? null : await deps.store.verdict(ids.first('vdt'));
    if (stored !== null) return this.redo(session, JSON.parse(stored) as Certificate);
    // The firewall reads equity and positions from the store: it stores the arena's reconciled books first.
    const r = await firewall.vet(intent, session, { execute: true, remoteTool: REMOTE_TOOL, accountView: view });
    const p = r.certificate.payload;
    return {
      verdictId: p.id,
      decision: p.decision,
      reasons: p.reasons.map((x) => x.code),
      order: r.order,
      error: r.orderError,
    };
  }

  private async redo(session: Session, cert: Certificate): Promise<SubmitOutcome> {
    const { deps, firewall, venueName } = this.parts;
    const p = cert.payload;
    const base = { verdictId: p.id, decision: p.decision, reasons: p.reasons.map((x) => x.code) };
    const parsed = parseIntent(p.intent);
    const passed = p.decision === 'ALLOW' || p.decision === 'ALLOW_CAPPED';
    if (!passed || !p.effective || !parsed.ok) return { ...base, order: null, error: null };
    const forwarded = await deps.store.orderForVerdict(p.id);
    const request = venueRequest(session, parsed.intent, p.effective.quantity, forwarded?.clientOrderId ?? p.id);
    if (forwarded?.status === 'forwarding') {
      const evaluation: Evaluation = {
        decision: p.decision,
        reasons: p.reasons,
        gates: p.gates,
        intent: parsed.intent,
        requested: p.requested,
        effective: p.effective,
        reduces: p.reduces,
        breaker_tripped: false,
        breaker_cleared: false,
        regime: p.regime,
      };
      const r = await firewall.forwarder.forward(session, p.id, Date.parse(p.issued_at), request, {
        payload: p,
        evaluation,
        remoteTool: REMOTE_TOOL,
      });
      return { ...base, order: r.order, error: r.error };
    }
    const venue = deps.venues.get(venueName);
    const order = venue ? await venue.orderByClientId(session.accountId, request.clientOrderId) : null;
    const error = forwarded?.status === 'rejected_by_venue' ? await this.recordedFailure(p.id) : null;
    return { ...base, order, error };
  }

  /** The venue error recorded for a verdict before the restart (it is among the last ledger records). */
  private async recordedFailure(verdictId: string): Promise<{ code: string; message: string }> {
    const store = this.parts.deps.store;
    const head = await store.ledgerHead();
    const recent = await store.ledgerRange(Math.max(1, head.count - 500), 501);
    const rec = recent.find((r) => r.kind === 'order_outcome' && r.ref === verdictId);
    const body = rec ? (JSON.parse(rec.body) as { code?: string; message?: string }) : {};
    return { code: body.code ?? 'UNKNOWN', message: body.message ?? 'unknown' };
  }
}
