import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ArbiterEvent, EventBus } from '../../../ports/runtime.js';
import type { Store } from '../../../ports/store.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Prometheus metrics, fed by the EventBus (so verdicts from every door count: HTTP, MCP, the arena) and by the
 * HTTP layer (request latency). Each app gets its own registry. `summary()` is what the dashboard's tiles show.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly verdicts: Counter<'decision' | 'reason'>;
  private readonly orders: Counter<'status'>;
  private readonly fills: Counter<'side'>;
  private readonly halts: Counter<'scope' | 'action'>;
  private readonly approvalsDecided: Counter<'status'>;
  readonly httpLatency: Histogram<'method' | 'route' | 'status'>;
  readonly vetLatency: Histogram<'route' | 'decision'>;
  private readonly totals = { verdicts: 0, fills: 0, orders: 0, byDecision: {} as Record<string, number> };
  private readonly unsubscribe: () => void;

  constructor(events: EventBus, store: Store, opts: { processMetrics?: boolean; mcpSessions?: () => number } = {}) {
    const registers = [this.registry];
    this.verdicts = new Counter({
      name: 'arbiter_verdicts_total',
      help: 'Signed verdicts by decision and deciding reason code (NONE for a clean ALLOW)',
      labelNames: ['decision', 'reason'],
      registers,
    });
    this.orders = new Counter({
      name: 'arbiter_orders_total',
      help: 'Orders forwarded to a venue, by the status the venue answered',
      labelNames: ['status'],
      registers,
    });
    this.fills = new Counter({ name: 'arbiter_fills_total', help: 'Fills', labelNames: ['side'], registers });
    this.halts = new Counter({
      name: 'arbiter_halt_changes_total',
      help: 'Kill-switch changes by scope and action (halt / resume)',
      labelNames: ['scope', 'action'],
      registers,
    });
    this.approvalsDecided = new Counter({
      name: 'arbiter_approval_events_total',
      help: 'Approval lifecycle events (pending, approved, rejected, expired, executed, failed)',
      labelNames: ['status'],
      registers,
    });
    new Gauge({
      name: 'arbiter_approvals_open',
      help: 'Orders waiting for a human',
      registers,
      async collect() {
        this.set((await store.approvals({ status: 'pending' })).length);
      },
    });
    new Gauge({
      name: 'arbiter_halts_active',
      help: 'Halts in force (store scopes; sentinel files are not counted here)',
      registers,
      async collect() {
        this.set((await store.halts()).length);
      },
    });
    new Gauge({
      name: 'arbiter_ledger_records',
      help: 'Records in the hash-chained ledger',
      registers,
      async collect() {
        this.set((await store.ledgerHead()).count);
      },
    });
    const mcpSessions = opts.mcpSessions;
    if (mcpSessions)
      new Gauge({
        name: 'arbiter_mcp_sessions',
        help: 'Open MCP-over-HTTP sessions (idle ones are closed after ARBITER_MCP_SESSION_IDLE_MS)',
        registers,
        collect() {
          this.set(mcpSessions());
        },
      });
    this.httpLatency = new Histogram({
      name: 'arbiter_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.vetLatency = new Histogram({
      name: 'arbiter_vet_duration_seconds',
      help: 'Time to a signed verdict over HTTP (firewall + store transaction + venue for orders)',
      labelNames: ['route', 'decision'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'arbiter_' });
    this.unsubscribe = events.subscribe((e) => this.observe(e));
  }

  private observe(e: ArbiterEvent): void {
    const d = e.data;
    switch (e.type) {
      case 'verdict': {
        const decision = String(d.decision);
        const reasons = Array.isArray(d.reasons) ? d.reasons : [];
        this.verdicts.inc({ decision, reason: String(reasons[0] ?? 'NONE') });
        this.totals.verdicts += 1;
        this.totals.byDecision[decision] = (this.totals.byDecision[decision] ?? 0) + 1;
        break;
      }
      case 'order':
        this.orders.inc({ status: String(d.status) });
        this.totals.orders += 1;
        break;
      case 'fill':
        this.fills.inc({ side: String(d.side) });
        this.totals.fills += 1;
        break;
      case 'halt':
        this.halts.inc({ scope: String(d.scope), action: d.halted ? 'halt' : 'resume' });
        break;
      case 'approval':
        this.approvalsDecided.inc({ status: String(d.status) });
        break;
      default:
        break;
    }
  }

  /** Counts since this process started. */
  summary(): { verdicts: number; orders: number; fills: number; by_decision: Record<string, number> } {
    const t = this.totals;
    return { verdicts: t.verdicts, orders: t.orders, fills: t.fills, by_decision: { ...t.byDecision } };
  }

  close(): void {
    this.unsubscribe();
    this.registry.clear();
  }
}
