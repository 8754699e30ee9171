import type { MandateLoad } from '../../core/mandate/types.js';
import type { ListedMarketView } from '../../core/prediction/board.js';
import type { MarketData } from '../../ports/market-data.js';
import type { Venue } from '../../ports/venue.js';
import type { ApprovalService } from '../../services/approval-service.js';
import type { FirewallService, Session } from '../../services/firewall-service.js';
import type { LimitsService } from '../../services/limits-service.js';
import type { OrderService } from '../../services/order-service.js';
import type { RiskService } from '../../services/risk/risk-service.js';

export type McpMode = 'readonly' | 'paper' | 'live';

/** Arena hooks for external agents (join, observe, submit), provided when an arena is running. */
export interface ArenaHooks {
  join(agentId: string): Promise<Record<string, unknown>>;
  observation(agentId: string): Promise<Record<string, unknown>>;
  submit(agentId: string, intent: unknown): Promise<Record<string, unknown>>;
}

/** Everything one MCP session needs. The session (agent identity) is fixed when the session starts. */
export interface McpContext {
  readonly session: Session;
  readonly mode: McpMode;
  readonly firewall: FirewallService;
  readonly orders: OrderService;
  readonly approvals: ApprovalService;
  readonly limits: LimitsService;
  readonly market: MarketData;
  readonly venue: Venue | null;
  readonly mandate: () => MandateLoad;
  readonly ledgerHead: () => Promise<{ count: number; head_hash: string }>;
  /** A recorded verdict's certificate JSON text by id (any agent's: the MCP layer shows an agent only its own). */
  readonly verdict: (verdictId: string) => Promise<string | null>;
  readonly ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
  readonly now: () => number;
  /** Ask the human through MCP elicitation for PENDING_APPROVAL orders (only if the client is a human's UI). */
  readonly elicitApprovals: boolean;
  readonly arena?: ArenaHooks;
  /** Risk figures on given numbers or the session's own book (the risk tools); absent: no risk tools. */
  readonly risk?: RiskService;
  /**
   * The prediction markets listed now (list_markets / get_market): the paper venue's synthetic ones or the venue's
   * configured ones; rejects when the venue cannot be read. Absent: no prediction tools.
   */
  readonly predictions?: () => Promise<readonly ListedMarketView[]>;
}
