import { type AccountMetrics, leverageOf } from './account.js';
import type { PaperConfig } from './config.js';
import { markAt } from './market-marks.js';
import type { PaperMarketView } from './market-view.js';
import { metricsNow } from './process.js';
import type { PaperAccount } from './types.js';

export interface PositionView {
  readonly symbol: string;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly markPrice: number;
  readonly unrealizedPnl: number;
  readonly leverage: number;
  readonly liquidationPrice: number | null;
  /** Perpetual: initial margin (notional at entry / leverage); spot: the cost of the holding. */
  readonly margin: number;
  readonly takeProfit: number | null;
  readonly stopLoss: number | null;
}

/**
 * Positions at the market's current time. The liquidation price solves equity = maintenance for this
 * position's mark with every other mark held where it is (cross margin).
 */
export function positionViews(account: PaperAccount, market: PaperMarketView, cfg: PaperConfig): PositionView[] {
  const t = market.marketTime() ?? account.processedTs;
  const m = metricsNow(account, market, cfg);
  return Object.values(account.positions)
    .sort((x, y) => x.symbol.localeCompare(y.symbol))
    .map((p) => {
      const inst = market.instrumentOf(p.symbol);
      const mark = markAt(market, p.symbol, t) ?? p.entryPrice;
      const u = p.qty * (mark - p.entryPrice);
      const perp = inst?.kind === 'perp';
      const leverage = inst ? leverageOf(account, inst, cfg) : 1;
      let liquidationPrice: number | null = null;
      if (perp) {
        const mmr = cfg.maintenanceMarginRate;
        const equityOthers = m.equity - u;
        const maintOthers = m.maintenance - Math.abs(p.qty) * mark * mmr;
        const price = (maintOthers - equityOthers + p.qty * p.entryPrice) / (p.qty - mmr * Math.abs(p.qty));
        liquidationPrice = Number.isFinite(price) && price > 0 ? price : null;
      }
      return {
        symbol: p.symbol,
        quantity: p.qty,
        entryPrice: p.entryPrice,
        markPrice: mark,
        unrealizedPnl: u,
        leverage,
        liquidationPrice,
        margin: perp ? (Math.abs(p.qty) * p.entryPrice) / leverage : Math.abs(p.qty) * p.entryPrice,
        takeProfit: p.takeProfit,
        stopLoss: p.stopLoss,
      };
    });
}

export interface BalanceView {
  readonly currency: 'USDT';
  /** The wallet: starting cash + realised P&L − fees − funding (spot holdings at cost are part of it). */
  readonly total: number;
  /** What new orders may use (never below 0). */
  readonly free: number;
  /** total − free: margins, spot holdings at cost, order reserves and unrealised perpetual losses. */
  readonly used: number;
  /** total + unrealised P&L of every position. */
  readonly equity: number;
}

export function balanceView(account: PaperAccount, market: PaperMarketView, cfg: PaperConfig): BalanceView {
  const m: AccountMetrics = metricsNow(account, market, cfg);
  const free = Math.max(0, Math.min(account.wallet, m.free));
  return { currency: 'USDT', total: account.wallet, free, used: account.wallet - free, equity: m.equity };
}
