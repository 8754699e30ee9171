import type { ServiceDeps } from './deps.js';
import type { Session } from './firewall-service.js';

export interface LimitsStatus {
  readonly mandate_ok: boolean;
  readonly reason?: string;
  readonly per_order_usd?: number;
  readonly exposure: { readonly used_usd: number; readonly cap_usd: number; readonly headroom_usd: number };
  readonly leverage: { readonly current: number; readonly max: number };
  readonly daily_trades: { readonly used: number; readonly max: number; readonly remaining: number };
  readonly throttle: { readonly per_second: number; readonly per_minute: number };
  readonly loss: {
    readonly day_loss_usd: number;
    readonly max_day_loss_usd: number;
    readonly drawdown_pct: number;
    readonly max_drawdown_pct: number;
  };
  readonly halted: { readonly global: boolean; readonly venue: boolean; readonly agent: boolean };
}

/** Headroom left under every limit, from the same state the firewall judges on. */
export class LimitsService {
  constructor(private readonly deps: ServiceDeps) {}

  async status(session: Session): Promise<LimitsStatus> {
    const d = this.deps;
    const now = d.clock.now();
    const load = d.mandates.load(session.venue);
    const funding = load.ok ? load.mandate.hard_caps.account_funding_usd : 0;
    const snap = await d.store.accountSnapshot(session.accountId, null, now, funding);
    const halts = await d.store.halts();
    const files = d.sentinels.fileHalts(session.venue);
    const halted = {
      global: files.global || halts.some((h) => h.scope === 'global'),
      venue: files.venue || halts.some((h) => h.scope === `venue:${session.venue}`),
      agent: halts.some((h) => h.scope === `agent:${session.agentId}`),
    };
    const day = new Date(now).toISOString().slice(0, 10);
    const used = Math.max(snap.daily_count, d.counter.read(session.venue, day));
    if (!load.ok) {
      return {
        mandate_ok: false,
        reason: load.message,
        exposure: { used_usd: snap.gross_exposure, cap_usd: 0, headroom_usd: 0 },
        leverage: { current: 0, max: 0 },
        daily_trades: { used, max: 0, remaining: 0 },
        throttle: { per_second: 0, per_minute: 0 },
        loss: { day_loss_usd: 0, max_day_loss_usd: 0, drawdown_pct: 0, max_drawdown_pct: 0 },
        halted,
      };
    }
    const m = load.mandate;
    const cap = Math.min(m.hard_caps.max_total_exposure_usd, m.hard_caps.max_leverage * funding);
    return {
      mandate_ok: true,
      per_order_usd: m.hard_caps.max_order_notional_usd,
      exposure: { used_usd: snap.gross_exposure, cap_usd: cap, headroom_usd: Math.max(0, cap - snap.gross_exposure) },
      leverage: { current: funding > 0 ? snap.gross_exposure / funding : 0, max: m.hard_caps.max_leverage },
      daily_trades: {
        used,
        max: m.hard_caps.max_trades_per_day,
        remaining: Math.max(0, m.hard_caps.max_trades_per_day - used),
      },
      throttle: m.arbiter.throttle,
      loss: {
        day_loss_usd: snap.day_start_equity - snap.equity,
        max_day_loss_usd: (m.arbiter.max_daily_loss_pct / 100) * funding,
        drawdown_pct: snap.peak_equity > 0 ? ((snap.peak_equity - snap.equity) / snap.peak_equity) * 100 : 0,
        max_drawdown_pct: m.arbiter.max_drawdown_pct,
      },
      halted,
    };
  }

  /** True when any halt applies to this session (write tools leave the MCP tool list). Cheap: no account read. */
  async halted(session: Session): Promise<boolean> {
    const files = this.deps.sentinels.fileHalts(session.venue);
    if (files.global || files.venue) return true;
    const scopes = new Set(['global', `venue:${session.venue}`, `agent:${session.agentId}`]);
    return (await this.deps.store.halts()).some((h) => scopes.has(h.scope));
  }
}
