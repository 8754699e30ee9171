import type { ChainCheckpoint } from '../../../core/ledger/chain.js';
import type { ApprovalService } from '../../../services/approval-service.js';
import type { ServiceDeps } from '../../../services/deps.js';
import type { FirewallService } from '../../../services/firewall-service.js';
import type { HaltService } from '../../../services/halt-service.js';
import type { Ed25519VerifySync, LedgerService } from '../../../services/ledger-service.js';
import type { OrderService } from '../../../services/order-service.js';
import type { RiskService } from '../../../services/risk/risk-service.js';
import type { ArenaSource } from './arena-source.js';
import type { Metrics } from './metrics.js';
import type { StreamHub } from './stream.js';

/** The use-case services the API calls. */
export interface ApiServices {
  readonly firewall: FirewallService;
  readonly orders: OrderService;
  readonly approvals: ApprovalService;
  readonly halts: HaltService;
  readonly ledger: LedgerService;
  /** Risk figures (the /v1/risk routes); absent: no risk routes. */
  readonly risk?: RiskService;
}

/** What `registerApi` is given by the app (the app picks every adapter). */
export interface ApiOptions {
  readonly deps: Pick<ServiceDeps, 'store' | 'events' | 'clock' | 'venues' | 'sentinels' | 'market'>;
  readonly services: ApiServices;
  /** The venue agents trade on through this server (the mandate's broker). */
  readonly venue: string;
  /** `readonly` mode refuses orders, cancels, approvals and resumes (vetting still works). */
  readonly mode: 'readonly' | 'paper' | 'live';
  /** sha256 hex of the admin token; null disables every admin endpoint. */
  readonly adminTokenHash: string | null;
  readonly ed25519Verify: Ed25519VerifySync;
  /** Checkpoints kept outside the database (the runtime root's mirror), for /v1/ledger/verify. */
  readonly extraCheckpoints?: () => readonly ChainCheckpoint[];
  readonly arena?: ArenaSource;
  /** A finished study's study.json (`serve --study DIR`), served as read at startup; absent: no study. */
  readonly study?: Readonly<Record<string, unknown>>;
  /** Directory of the built dashboard (web/dist); null or missing serves a "not built" page at /. */
  readonly webRoot?: string | null;
  /** Also export the Node process metrics (CPU, memory, event loop) on /metrics. */
  readonly processMetrics?: boolean;
  /** Open MCP-over-HTTP sessions (the arbiter_mcp_sessions gauge). */
  readonly mcpSessions?: () => number;
}

/** What the route modules share. */
export interface Api extends ApiOptions {
  readonly arena: ArenaSource;
  readonly metrics: Metrics;
  readonly stream: StreamHub;
}
