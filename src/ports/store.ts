import type { Decision, PositionState } from '../core/firewall/types.js';

/** Who is deciding for what. `day` is the UTC day (YYYY-MM-DD) the daily counters belong to. */
export interface DecideScope {
  readonly accountId: string;
  readonly agentId: string;
  readonly venue: string;
  readonly symbol: string | null;
  readonly clientOrderId: string | null;
  /** Hash of the order's content, for the same-content duplicate window. */
  readonly contentKey: string | null;
  readonly now: number;
  readonly day: string;
  readonly duplicateWindowMs: number;
  /** Starting equity of an account the store has never seen (the mandate's funding). */
  readonly initialEquity: number;
  /**
   * The venue's view of the account to apply first, exactly as `syncAccount` would, so that the state read is
   * that view (the arena hands over its reconciled books before every intent). A store may apply it in the
   * decision's own transaction (one commit instead of two) or just before it.
   */
  readonly sync?: AccountSync | null;
}

export interface AccountSnapshot {
  readonly equity: number;
  readonly peak_equity: number;
  readonly day_start_equity: number;
  readonly gross_exposure: number;
  readonly daily_count: number;
  readonly position: PositionState;
  /** When `syncAccount` last applied the venue's view; null if never. */
  readonly synced_at: number | null;
}

/** The state read under the account lock, from which the verdict is made. */
export interface DecideState {
  readonly account: AccountSnapshot;
  readonly throttle: { readonly last_second: number; readonly last_minute: number };
  readonly recent_duplicate: boolean;
  readonly breaker_tripped: boolean;
  /** Halts recorded in the store (the service adds the runtime-root sentinel files). */
  readonly halts: { readonly global: boolean; readonly venue: boolean; readonly agent: boolean };
  /**
   * How many decisions share this commit (group commit), when the store groups them. With one, a signature made
   * inline is about as quick as a hand-off to another thread and has a shorter tail; with several, the hand-off
   * overlaps them.
   */
  readonly groupSize?: number;
}

export interface Reservation {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly notional: number;
  /** True when the order adds exposure; false when it only reduces a position. */
  readonly adds: boolean;
}

/** What a decision writes, in the same transaction as the ledger record. */
export interface DecisionWrite {
  readonly verdictId: string;
  readonly decision: Decision;
  /**
   * The signed certificate as JSON text (stored verbatim: an idempotent replay returns these bytes), or a function
   * that returns it: the store calls it once, later in the same transaction, so the signature can be computed on
   * another thread while the transaction goes on.
   */
  readonly certificateJson: string | (() => string);
  /** Set when the order goes to a venue now: reserves exposure and counts a trade. */
  readonly reserve: Reservation | null;
  readonly breaker: 'none' | 'trip' | 'clear';
  /** Set for PENDING_APPROVAL: the approval to open. */
  readonly approval: ApprovalRecord | null;
  /** The redacted audit record of this decision, stored in the same transaction. */
  readonly audit: AuditRow | null;
}

export type DecideOutcome =
  | {
      readonly replayed: true;
      readonly verdictId: string;
      readonly certificateJson: string;
      readonly decision: Decision;
    }
  | {
      readonly replayed: false;
      readonly verdictId: string;
      readonly certificateJson: string;
      readonly decision: Decision;
      readonly seq: number;
    };

export interface LedgerRecord {
  readonly seq: number;
  readonly ts: number;
  readonly kind: string;
  readonly ref: string;
  readonly body: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export interface Checkpoint {
  readonly count: number;
  readonly head_hash: string;
  readonly ts: number;
  readonly key_id: string;
  readonly signature: string;
}

export type OrderOutcome =
  | {
      readonly kind: 'accepted';
      readonly venueOrderId: string;
      readonly status: string;
      /** Fills so far: the reservation shrinks by what has filled. */
      readonly filledQuantity: number;
      readonly avgPrice: number | null;
      /** The order is done at the venue (filled, cancelled, expired): release what is left. */
      readonly done: boolean;
    }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

export interface ApprovalRecord {
  readonly approvalId: string;
  readonly verdictId: string;
  readonly accountId: string;
  readonly agentId: string;
  readonly venue: string;
  /** sha256 of the canonical order the approval is for; the approval is good for that order only. */
  readonly orderHash: string;
  readonly intentJson: string;
  readonly notional: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'executed' | 'failed';

export interface ApprovalRow extends ApprovalRecord {
  readonly status: ApprovalStatus;
  readonly decidedAt: number | null;
  readonly decidedBy: string | null;
  readonly resultVerdictId: string | null;
}

export interface PositionSync {
  readonly symbol: string;
  readonly qty: number;
  readonly avgPrice: number;
  readonly mark: number;
}

/** The venue's view of an account, applied in the same transaction as an order outcome. */
export interface AccountSync {
  readonly equity: number;
  readonly positions: readonly PositionSync[];
}

export interface AuditRow {
  readonly audit_id: string;
  readonly ts: string;
  readonly kind: string;
  readonly agent_id: string | null;
  readonly body: string;
}

/**
 * The one storage port. SQLite (embedded default) and PostgreSQL implement it; one conformance suite runs
 * against both. Every method is atomic on its own.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  init(): Promise<void>;
  close(): Promise<void>;

  /**
   * The firewall's one transaction: lock the account, read its state, let `decide` (synchronous and pure)
   * make the verdict, then write reservation, daily count, throttle, duplicate key and ledger record, commit.
   * The same client order id on the same account returns the stored verdict unchanged without calling `decide`.
   */
  decide(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome>;
  /** Records what the venue did with a forwarded order; a failure releases the reservation and the count. */
  recordOrderOutcome(
    verdictId: string,
    outcome: OrderOutcome,
    now: number,
    sync?: AccountSync,
    audit?: AuditRow,
  ): Promise<void>;
  /** Replaces the account's positions, marks and equity with what the venue reports (reconciliation). */
  syncAccount(accountId: string, sync: AccountSync, now: number): Promise<void>;
  accountSnapshot(
    accountId: string,
    symbol: string | null,
    now: number,
    initialEquity: number,
  ): Promise<AccountSnapshot>;
  orderForVerdict(verdictId: string): Promise<{ status: string; venueOrderId: string | null } | null>;
  /** The verdict that authorised a venue order. */
  orderByVenueId(
    accountId: string,
    venueOrderId: string,
  ): Promise<{ verdictId: string; clientOrderId: string; status: string } | null>;
  /** An amended order's reservation takes its new size (the amend was vetted as the order it becomes). */
  resizeReservation(verdictId: string, quantity: number, notional: number, now: number): Promise<void>;
  /** Orders forwarded but with no recorded outcome (a crash between the two): to resolve with the venue. */
  unresolvedOrders(accountId: string): Promise<readonly { verdictId: string; clientOrderId: string }[]>;

  setHalt(scope: string, reason: string | null, now: number): Promise<void>;
  halts(): Promise<readonly { scope: string; reason: string; ts: number }[]>;
  resetBreaker(now: number): Promise<void>;

  ledgerAppend(kind: string, ref: string, body: string, now: number): Promise<number>;
  ledgerRange(fromSeq: number, limit: number): Promise<readonly LedgerRecord[]>;
  ledgerHead(): Promise<{ count: number; head_hash: string }>;
  addCheckpoint(cp: Checkpoint): Promise<void>;
  checkpoints(): Promise<readonly Checkpoint[]>;
  verdict(verdictId: string): Promise<string | null>;

  putAgent(agentId: string, tokenSha256: string, accountId: string, now: number): Promise<void>;
  agentByToken(tokenSha256: string): Promise<{ agentId: string; accountId: string } | null>;
  agents(): Promise<readonly { agentId: string; accountId: string; createdAt: number }[]>;

  approval(approvalId: string): Promise<ApprovalRow | null>;
  approvals(status?: ApprovalStatus): Promise<readonly ApprovalRow[]>;
  /** Moves an approval from `from` to `to` atomically; false if it was not in `from`. */
  transitionApproval(
    approvalId: string,
    from: ApprovalStatus,
    to: ApprovalStatus,
    by: string | null,
    now: number,
    resultVerdictId?: string | null,
  ): Promise<boolean>;

  appendAudit(row: AuditRow): Promise<void>;
  audit(filter: {
    agentId?: string;
    kind?: string;
    since?: string;
    until?: string;
    limit: number;
  }): Promise<readonly AuditRow[]>;

  /** Namespaced JSON documents (paper exchange state, arena state). `put` is atomic. */
  getDoc(ns: string, key: string): Promise<string | null>;
  putDoc(ns: string, key: string, value: string, now: number): Promise<void>;
  /**
   * Read-modify-write of one document under a lock, so concurrent processes never lose an update. `fn` is
   * synchronous and pure; it may throw to abort (nothing is written).
   */
  updateDoc(ns: string, key: string, fn: (current: string | null) => string, now: number): Promise<string>;
  listDocs(ns: string): Promise<readonly { key: string; value: string }[]>;
}
