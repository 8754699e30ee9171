import type { Decision, PositionState } from '../core/firewall/types.js';
import type { OrderState, VenueAnswer } from '../core/order/lifecycle.js';

/** Who is deciding for what. `day` is the UTC day (YYYY-MM-DD) the daily counters belong to. */
export interface DecideScope {
  readonly accountId: string;
  readonly agentId: string;
  readonly venue: string;
  readonly symbol: string | null;
  /**
   * The client order id the order is bound to, per agent: the agent's own id, or a key agents cannot spell for an
   * order they did not send (an approved execution). The same key from the same agent replays its verdict.
   */
  readonly clientOrderId: string | null;
  /** sha256 of the order's content: a bound client order id sent with other content is refused. */
  readonly orderKey: string | null;
  /** The same-content duplicate window's key (null: not checked, e.g. a human-approved execution). */
  readonly contentKey: string | null;
  readonly now: number;
  readonly day: string;
  readonly duplicateWindowMs: number;
  /** Starting equity of an account the store has never seen (the mandate's funding). */
  readonly initialEquity: number;
  /** The venue's view of the account, applied first under the account lock by the view rule (see AccountView). */
  readonly view?: AccountView | null;
  /**
   * A dry run: the state is read and the verdict made exactly as for a real order, and nothing is written —
   * no reservation, count, throttle, duplicate key, client order id binding, ledger record or audit row.
   */
  readonly dryRun: boolean;
  /** Also read the account's book (see `book`) under the lock, for the portfolio-risk limits. */
  readonly withBook?: boolean;
  /** Also read the account's cost basis (see `DecideState.cost_basis`) under the lock, for the prediction caps. */
  readonly withCostBasis?: boolean;
}

/**
 * Per symbol, what the store holds of the account under its lock: `held`, collateral paid for the long position
 * (quantity × entry price; the venue's view, or the store's own fills since), and `reserved`, the notional of the
 * buys decided and not yet answered (in-flight reservations that add). Symbols with neither are left out.
 */
export interface CostBasisRow {
  readonly symbol: string;
  readonly held: number;
  readonly reserved: number;
}

export interface AccountSnapshot {
  readonly equity: number;
  readonly peak_equity: number;
  readonly day_start_equity: number;
  readonly gross_exposure: number;
  readonly daily_count: number;
  readonly position: PositionState;
  /** When a venue view of the account was last applied; null if never. */
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
  /** The client order id is already bound to another order of this agent (different content). */
  readonly client_order_id_reused: boolean;
  /** The account's book read under the lock, when the scope asked for it (`withBook`). */
  readonly book?: readonly { readonly symbol: string; readonly notional: number }[];
  /** The account's cost basis read under the lock, when the scope asked for it (`withCostBasis`). */
  readonly cost_basis?: readonly CostBasisRow[];
}

export interface Reservation {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly notional: number;
  /** True when the order adds exposure; false when it only reduces a position. */
  readonly adds: boolean;
  /** The client order id the venue is sent (unique per account; recovery looks the order up by it). */
  readonly venueClientOrderId: string;
}

/** What a decision writes, in the same transaction as the ledger record. */
export interface DecisionWrite {
  readonly verdictId: string;
  readonly decision: Decision;
  /** The signed certificate as JSON text (stored verbatim: an idempotent replay returns these bytes). */
  readonly certificateJson: string;
  /** Set when the order goes to a venue now: reserves exposure, counts a trade and opens a `forwarding` order. */
  readonly reserve: Reservation | null;
  readonly breaker: 'none' | 'trip' | 'clear';
  /** Set for PENDING_APPROVAL: the approval to open. */
  readonly approval: ApprovalRecord | null;
  /** The redacted audit record of this decision, stored in the same transaction. */
  readonly audit: AuditRow | null;
}

/** An order the firewall forwarded, as the store keeps it. */
export interface StoredOrder {
  readonly verdictId: string;
  readonly accountId: string;
  readonly agentId: string;
  /** The client order id the venue was sent. */
  readonly clientOrderId: string;
  /** The agent's own client order id the order is bound to, if it gave one. */
  readonly agentClientOrderId: string | null;
  readonly symbol: string | null;
  readonly side: 'buy' | 'sell' | null;
  readonly status: OrderState;
  readonly venueOrderId: string | null;
  readonly filledQuantity: number;
  readonly avgPrice: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type DecideOutcome =
  | {
      readonly replayed: true;
      readonly verdictId: string;
      readonly certificateJson: string;
      readonly decision: Decision;
      /** The order the replayed verdict forwarded, if it forwarded one. */
      readonly order: StoredOrder | null;
    }
  | {
      readonly replayed: false;
      readonly verdictId: string;
      readonly certificateJson: string;
      readonly decision: Decision;
      /** The verdict's ledger record; null for a dry run (nothing was written). */
      readonly seq: number | null;
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

/**
 * The venue's view of an account. It is applied under the account lock by one rule: if nothing was reserved or
 * recorded for the account since the view was taken (`asOf` is still the account's version), its positions and
 * equity replace the store's; otherwise it is stale, and only the order answers it carries are applied (each
 * fill moves the store's own position once). So a view never moves exposure, positions or counts backwards past
 * what the store reserved and recorded after it was taken.
 */
export interface AccountView {
  /**
   * The account's version (`viewBasis`) read before the venue was asked; null for a view taken by the account's
   * sole writer in step with the store (the arena's books), which is always current.
   */
  readonly asOf: number | null;
  readonly equity: number;
  readonly positions: readonly PositionSync[];
  /** What the venue said about the orders in flight when the view was taken (by the client order id sent). */
  readonly orders?: readonly { readonly clientOrderId: string; readonly answer: VenueAnswer }[];
}

/** What an order answer changed (the lifecycle plan the store executed). */
export interface OrderChange {
  readonly changed: boolean;
  readonly status: OrderState;
  readonly final: boolean;
  readonly filledQuantity: number;
}

/** The ledger record `recordOnce` writes. */
export interface OnceRecord {
  readonly kind: string;
  readonly ref: string;
  readonly body: string;
  readonly now: number;
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
   * The firewall's one transaction: lock the account, apply the scope's view, read the state, let `decide`
   * (synchronous and pure) make the verdict, then write reservation, daily count, throttle, duplicate key, client
   * order id binding, audit row and ledger record, and commit. The same client order id from the same agent with
   * the same content returns the stored verdict (and its order) unchanged without calling `decide`; with other
   * content `decide` is told (`client_order_id_reused`) and its refusal is recorded without touching the binding.
   * A dry run makes the same verdict and writes nothing.
   */
  decide(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome>;
  /**
   * Records what the venue said about a forwarded order, by the lifecycle's plan (`planOutcome`), with the view
   * taken after the answer, under the account lock. The first answer recorded for an order carries its audit row.
   */
  recordOrderOutcome(
    verdictId: string,
    answer: VenueAnswer,
    now: number,
    view?: AccountView,
    audit?: AuditRow,
  ): Promise<OrderChange>;
  /** What a venue view of the account must be taken against: the account's version and the orders in flight. */
  viewBasis(accountId: string): Promise<{
    readonly asOf: number;
    readonly inflight: readonly { readonly verdictId: string; readonly clientOrderId: string }[];
  }>;
  /** Applies a venue view of the account (reconciliation) by the view rule, under the account lock. */
  applyView(accountId: string, view: AccountView, now: number): Promise<void>;
  /**
   * The account's book for the portfolio-risk limits: per symbol, the signed notional of its position at mark plus
   * the orders in flight that add exposure (buys positive, sells negative). Symbols netting to 0 are left out.
   */
  book(accountId: string): Promise<readonly { readonly symbol: string; readonly notional: number }[]>;
  accountSnapshot(
    accountId: string,
    symbol: string | null,
    now: number,
    initialEquity: number,
  ): Promise<AccountSnapshot>;
  orderForVerdict(verdictId: string): Promise<StoredOrder | null>;
  /** The order behind a venue order id or a venue client order id. */
  orderByVenueId(accountId: string, venueOrderId: string): Promise<StoredOrder | null>;
  orderByClientId(accountId: string, clientOrderId: string): Promise<StoredOrder | null>;
  /** An amended order's reservation takes its new size (the amend was vetted as the order it becomes). */
  resizeReservation(verdictId: string, quantity: number, notional: number, now: number): Promise<void>;
  /**
   * Orders whose fate the venue has not told (`forwarding`: a crash between the verdict and the venue's answer;
   * `unknown`: a timeout or an unreachable venue), last touched at or before `before`: to resolve with the venue.
   */
  unresolvedOrders(accountId: string, before: number): Promise<readonly StoredOrder[]>;

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
  approvals(filter?: { readonly status?: ApprovalStatus; readonly agentId?: string }): Promise<readonly ApprovalRow[]>;
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
  /**
   * Writes a ledger record and an audit row for `key` in one transaction, once: true if they were written now,
   * false if a record for `key` was written before (then nothing is written). Records owed after a crash can be
   * written again without ever being doubled.
   */
  recordOnce(key: string, record: OnceRecord, audit: AuditRow): Promise<boolean>;
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
   * synchronous and pure; it may throw to abort (nothing is written). It may also return other documents to put
   * in the same transaction (`also`).
   */
  updateDoc(ns: string, key: string, fn: (current: string | null) => string | DocWrite, now: number): Promise<string>;
  listDocs(ns: string): Promise<readonly { key: string; value: string }[]>;
}

/** A document update with other documents written in the same transaction. */
export interface DocWrite {
  readonly value: string;
  readonly also: readonly { readonly ns: string; readonly key: string; readonly value: string }[];
}
