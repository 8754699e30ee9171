import type { LedgerRow, PaperOrderDoc, Snapshot } from './inspect.js';

/** A verdict as its signed certificate in the ledger states it. */
export interface LedgerVerdict {
  readonly seq: number;
  readonly id: string;
  readonly agent: string;
  readonly decision: string;
  readonly reasons: readonly string[];
  readonly messages: readonly string[];
  readonly symbol: string | null;
  readonly side: string | null;
  readonly clientOrderId: string | null;
  readonly effective: { readonly notional: number; readonly quantity: number; readonly price: number } | null;
  /** The gross exposure and daily count the verdict was judged on (certificate context). */
  readonly judgedGross: number;
  readonly judgedDailyCount: number;
  readonly dryRun: boolean;
}

/**
 * The last order outcome the ledger records for a verdict (`order_outcome` bodies hold the order's lifecycle state:
 * `status`, `filled_quantity`, `venue_order_id`, `code`). `kind` sums it up: accepted by the venue, never placed
 * (`rejected_by_venue`), or not known yet.
 */
export interface LedgerOutcome {
  readonly seq: number;
  readonly kind: 'accepted' | 'failed' | 'unknown';
  readonly status?: string;
  readonly code?: string;
  readonly venueOrderId?: string;
  readonly filledQuantity?: number;
}

const ACCEPTED = new Set(['open', 'partially_filled', 'filled', 'cancelled', 'expired']);

export const PASSED = new Set(['ALLOW', 'ALLOW_CAPPED']);

export function verdictsOf(ledger: readonly LedgerRow[]): LedgerVerdict[] {
  return ledger
    .filter((r) => r.kind === 'verdict')
    .map((r) => {
      const p = JSON.parse(r.body).payload;
      const intent = (p.intent ?? {}) as Record<string, unknown>;
      return {
        seq: r.seq,
        id: p.id,
        agent: p.agent_id,
        decision: p.decision,
        reasons: p.reasons.map((x: { code: string }) => x.code),
        messages: p.reasons.map((x: { message: string }) => x.message),
        symbol: typeof intent.symbol === 'string' ? intent.symbol : null,
        side: typeof intent.side === 'string' ? intent.side : null,
        clientOrderId: typeof intent.client_order_id === 'string' ? intent.client_order_id : null,
        effective: p.effective ?? null,
        judgedGross: p.context?.account?.gross_exposure ?? Number.NaN,
        judgedDailyCount: p.context?.account?.daily_count ?? Number.NaN,
        dryRun: p.dry_run === true,
      };
    });
}

export function outcomesOf(ledger: readonly LedgerRow[]): Map<string, LedgerOutcome> {
  const out = new Map<string, LedgerOutcome>();
  for (const r of ledger) {
    if (r.kind !== 'order_outcome') continue;
    const b = JSON.parse(r.body) as {
      status: string;
      code: string | null;
      venue_order_id: string | null;
      filled_quantity: number;
    };
    const before = out.get(r.ref);
    out.set(r.ref, {
      seq: r.seq,
      kind: ACCEPTED.has(b.status) ? 'accepted' : b.status === 'rejected_by_venue' ? 'failed' : 'unknown',
      status: b.status,
      ...(b.code ? { code: b.code } : {}),
      ...((b.venue_order_id ?? before?.venueOrderId) ? { venueOrderId: b.venue_order_id ?? before?.venueOrderId } : {}),
      filledQuantity: b.filled_quantity,
    });
  }
  return out;
}

/** The orders the account itself placed at the paper venue (not triggers or liquidations). */
export function venueOrders(s: Snapshot): readonly PaperOrderDoc[] {
  return (s.paper?.orders ?? []).filter((o) => (o as { source?: string }).source !== 'liquidation');
}

/**
 * The verdict that sent a venue order: by the recorded venue order id, or by the client order id the venue was
 * sent (the store's orders table maps it to its verdict: agents' ids are not sent as they are, the venue gets one
 * derived from the agent and its id).
 */
export function verdictOfVenueOrder(
  o: PaperOrderDoc,
  verdicts: readonly LedgerVerdict[],
  outcomes: ReadonlyMap<string, LedgerOutcome>,
  sentAs: ReadonlyMap<string, string> = new Map(),
): LedgerVerdict | null {
  const sent = verdicts.filter((v) => v.effective && PASSED.has(v.decision) && !v.dryRun);
  const byClientId = sentAs.get(o.clientOrderId);
  return (
    sent.find((v) => outcomes.get(v.id)?.venueOrderId === o.orderId) ??
    sent.find((v) => v.id === byClientId) ??
    sent.find((v) => v.id === o.clientOrderId) ??
    null
  );
}

/** Client order id sent to the venue → the verdict behind it (the store's orders table). */
export function sentClientIds(s: Snapshot): Map<string, string> {
  return new Map(s.orders.map((o) => [o.client_order_id, o.verdict_id]));
}

export interface VenueBook {
  /** Venue orders with no ALLOW verdict behind them (nothing may reach a venue without one). */
  readonly orphans: readonly PaperOrderDoc[];
  /** Σ filled quantity × the price its verdict judged it at: the venue's holding valued as the firewall valued it. */
  readonly exposureAtVerdictPrice: number;
  /** Σ filled quantity × fill price. */
  readonly exposureAtFillPrice: number;
  /** Orders the account placed, as the venue counts them (its order-id counter, which no history limit trims). */
  readonly placed: number;
  /** Client order ids the venue holds more than once. */
  readonly doubled: readonly string[];
}

export function venueBook(s: Snapshot): VenueBook {
  const verdicts = verdictsOf(s.ledger);
  const outcomes = outcomesOf(s.ledger);
  const orders = venueOrders(s);
  const sentAs = sentClientIds(s);
  let atVerdict = 0;
  let atFill = 0;
  const orphans: PaperOrderDoc[] = [];
  for (const o of orders) {
    const v = verdictOfVenueOrder(o, verdicts, outcomes, sentAs);
    if (!v) orphans.push(o);
    atFill += o.fills.reduce((a, f) => a + f.quantity * f.price, 0);
    atVerdict += o.filledQuantity * (v?.effective?.price ?? o.avgFillPrice ?? 0);
  }
  const seen = new Map<string, number>();
  for (const o of orders) seen.set(o.clientOrderId, (seen.get(o.clientOrderId) ?? 0) + 1);
  return {
    orphans,
    exposureAtVerdictPrice: atVerdict,
    exposureAtFillPrice: atFill,
    placed: s.paper?.seq ?? 0,
    doubled: [...seen].filter(([, n]) => n > 1).map(([k]) => k),
  };
}

/** Σ recorded filled quantity × verdict price over orders the ledger says were accepted: the store's exposure. */
export function storeFilledExposure(s: Snapshot): number {
  const outcomes = outcomesOf(s.ledger);
  let sum = 0;
  for (const v of verdictsOf(s.ledger)) {
    const o = outcomes.get(v.id);
    if (o?.kind === 'accepted' && v.effective) sum += (o.filledQuantity ?? 0) * v.effective.price;
  }
  return sum;
}

/** Net position per symbol as the ledger records it (Σ recorded fills, signed by side). */
export function ledgerPositions(s: Snapshot): Map<string, number> {
  const outcomes = outcomesOf(s.ledger);
  const net = new Map<string, number>();
  for (const v of verdictsOf(s.ledger)) {
    const o = outcomes.get(v.id);
    if (o?.kind !== 'accepted' || !v.symbol) continue;
    const q = (o.filledQuantity ?? 0) * (v.side === 'sell' ? -1 : 1);
    net.set(v.symbol, (net.get(v.symbol) ?? 0) + q);
  }
  return net;
}

export function venuePositions(s: Snapshot): Map<string, number> {
  return new Map(Object.entries(s.paper?.positions ?? {}).map(([k, p]) => [k, p.qty]));
}

/**
 * Consecutive ALLOWs (in ledger order) where the gross exposure judged on went down. Buys only: exposure can drop
 * between them only as marks move, so a drop larger than `markTolerance` (a fraction of the exposure) means a
 * decision did not see what the ones before it had reserved or filled.
 */
export function exposureDrops(
  verdicts: readonly LedgerVerdict[],
  markTolerance: number,
): { readonly from: LedgerVerdict; readonly to: LedgerVerdict }[] {
  const allowed = verdicts.filter((v) => PASSED.has(v.decision) && !v.dryRun);
  const drops: { from: LedgerVerdict; to: LedgerVerdict }[] = [];
  for (let i = 1; i < allowed.length; i++) {
    const a = allowed[i - 1]!;
    const b = allowed[i]!;
    if (b.judgedGross < a.judgedGross * (1 - markTolerance) - 0.01) drops.push({ from: a, to: b });
  }
  return drops;
}

/** Verdicts (rows of the verdicts table) without exactly one ledger record, plus ledger records of no verdict. */
export function verdictRecordMismatches(s: Snapshot): number {
  const n = new Map<string, number>();
  const records = s.ledger.filter((r) => r.kind === 'verdict').map((r) => r.ref);
  for (const id of records) n.set(id, (n.get(id) ?? 0) + 1);
  const known = new Set(s.verdictIds);
  return s.verdictIds.filter((id) => n.get(id) !== 1).length + records.filter((id) => !known.has(id)).length;
}

/**
 * Consecutive ALLOWs (ledger order, buys only) where the later one was judged on less than the earlier one's
 * exposure plus its order: it did not see the order allowed just before it (its reservation, or its fill), though
 * that order did not fail at the venue. Stronger than `exposureDrops`: a lost order shows even when marks rose.
 */
export function unseenAllows(
  verdicts: readonly LedgerVerdict[],
  outcomes: ReadonlyMap<string, LedgerOutcome>,
  markTolerance: number,
): { readonly from: LedgerVerdict; readonly to: LedgerVerdict }[] {
  const allowed = verdicts.filter((v) => PASSED.has(v.decision) && !v.dryRun && v.effective);
  const unseen: { from: LedgerVerdict; to: LedgerVerdict }[] = [];
  for (let i = 1; i < allowed.length; i++) {
    const a = allowed[i - 1]!;
    const b = allowed[i]!;
    if (outcomes.get(a.id)?.kind === 'failed') continue;
    const expected = a.judgedGross + a.effective!.notional;
    if (b.judgedGross < expected * (1 - markTolerance) - 0.01) unseen.push({ from: a, to: b });
  }
  return unseen;
}

/** How many audit records name each certificate (Vibe-Trading's record; Arbiter's detail in `arbiter`). */
export function auditByVerdict(s: Snapshot): Map<string, number> {
  const n = new Map<string, number>();
  for (const body of s.audit) {
    const id = JSON.parse(body)?.arbiter?.certificate_id;
    if (typeof id === 'string') n.set(id, (n.get(id) ?? 0) + 1);
  }
  return n;
}

/** `[reason codes] × count`, for assertion messages. */
export function tally(vs: readonly LedgerVerdict[]): string {
  const t = new Map<string, number>();
  for (const v of vs) {
    const k = `${v.decision}${v.reasons.length ? ` ${v.reasons.join('+')}` : ''}`;
    t.set(k, (t.get(k) ?? 0) + 1);
  }
  return [...t].map(([k, n]) => `${n}× ${k}`).join(', ');
}

export const usd = (x: number) => `$${x.toFixed(2)}`;
