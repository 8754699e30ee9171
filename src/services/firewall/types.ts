import type { Certificate } from '../../core/cert/certificate.js';
import type { OrderState } from '../../core/order/lifecycle.js';
import type { AccountView } from '../../ports/store.js';
import type { VenueOrder } from '../../ports/venue.js';

/** Who is asking: always from the authenticated session, never from the intent. */
export interface Session {
  readonly agentId: string;
  readonly accountId: string;
  readonly venue: string;
  readonly sessionId: string;
}

export interface VetOptions {
  /**
   * Forward an ALLOW / ALLOW_CAPPED order to the venue. Without it the vet is a dry run: judged exactly as the
   * order would be, signed (its certificate says `dry_run`), and nothing is reserved, counted, throttled, bound,
   * recorded or sent.
   */
  readonly execute: boolean;
  /**
   * Not a dry run although nothing is forwarded: the verdict authorises a change of an order already at the venue
   * (an amend), so it is recorded like any verdict. It is no new order: it binds no client order id, reserves
   * nothing here and is not checked against the duplicate window.
   */
  readonly amend?: boolean;
  /** Test-only override of the reference quote. */
  readonly quote?: { readonly bid: number; readonly ask: number; readonly ts?: number };
  /** Which door the intent came through, for the audit log (`cli.vet`, `mcp.place_order`, …). */
  readonly remoteTool?: string;
  /** How long a PENDING_APPROVAL stays approvable (ms). */
  readonly approvalTtlMs?: number;
  /**
   * Set only by the approval service after a human approved this exact order out of band: the approval id. The
   * execution is bound to a key no agent can send as a client order id, so it runs once and cannot be squatted.
   */
  readonly approvedBy?: string;
  /**
   * Set only by the kill switch when it flattens under `flatten_on_halt`: the operator whose act this is (bound as
   * `approved_by_human`). Like an approved execution it is not the agent's burst (no throttle, no duplicate window),
   * but it keeps the intent's own client order id.
   */
  readonly operator?: string;
  /**
   * The account as its sole writer keeps it in step with the venue (the arena's books), applied under the account
   * lock in the decision's transaction before the state is read.
   */
  readonly accountView?: AccountView;
}

export interface VetResult {
  readonly certificate: Certificate;
  readonly certificateJson: string;
  /** The client order id was seen before from this agent with this content: the original verdict, unchanged. */
  readonly replayed: boolean;
  /** The venue's order (for a replay: the original order as the venue knows it now). */
  readonly order: VenueOrder | null;
  /** The order's state as the store knows it (null: no order was forwarded). `unknown`: the venue did not answer. */
  readonly orderState: OrderState | null;
  readonly orderError: { readonly code: string; readonly message: string } | null;
  readonly approvalId: string | null;
  readonly dryRun: boolean;
}

/**
 * An order as its agent sees it: under the client order id the agent gave it (the venue holds one derived from
 * the agent and that id, so agents sharing an account never collide), when it gave one.
 */
export function asAgentSees(order: VenueOrder, own: string | null): VenueOrder {
  return own === null || own === order.clientOrderId ? order : { ...order, clientOrderId: own };
}
