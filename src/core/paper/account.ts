import type { Instrument } from '../market/types.js';
import { type PaperConfig, QTY_EPSILON } from './config.js';
import type { OrderSource, PaperAccount, PaperEvent, PaperOrder, PaperPosition, PaperSide } from './types.js';

export function createAccount(accountId: string, startingCash: number, marketTs: number): PaperAccount {
  return {
    version: 1,
    accountId,
    startingCash,
    wallet: startingCash,
    positions: {},
    leverage: {},
    orders: [],
    processedTs: marketTs,
    seq: 0,
    totals: { realizedPnl: 0, fees: 0, funding: 0 },
  };
}

export function leverageOf(account: PaperAccount, inst: Instrument, cfg: PaperConfig): number {
  if (inst.kind === 'spot') return 1;
  return account.leverage[inst.symbol] ?? Math.min(cfg.defaultLeverage, inst.maxLeverage);
}

export function isWorking(o: PaperOrder): boolean {
  return o.status === 'open' || o.status === 'partially_filled';
}

export type Marks = (symbol: string) => number | null;
export type Instruments = (symbol: string) => Instrument | null;

/** Margin an open order holds back: what it would cost to open, never for what it only reduces. */
export function orderReserve(account: PaperAccount, o: PaperOrder, inst: Instrument, cfg: PaperConfig): number {
  if (!isWorking(o) || o.reduceOnly || o.limitPrice === null) return 0;
  const remaining = o.quantity - o.filledQuantity;
  if (inst.kind === 'spot') return o.side === 'buy' ? remaining * o.limitPrice * (1 + cfg.fees.spot.maker) : 0;
  const q = account.positions[o.symbol]?.qty ?? 0;
  const opposite = (o.side === 'buy' && q < 0) || (o.side === 'sell' && q > 0) ? Math.abs(q) : 0;
  return (Math.max(0, remaining - opposite) * o.limitPrice) / leverageOf(account, inst, cfg);
}

export interface AccountMetrics {
  readonly equity: number;
  readonly unrealizedPnl: number;
  /** Spot cost plus perpetual initial margin. */
  readonly positionMargin: number;
  readonly orderReserve: number;
  readonly maintenance: number;
  /** wallet − margins − reserves − unrealised perpetual losses: what a new order may use (may be < 0). */
  readonly free: number;
}

export function accountMetrics(
  account: PaperAccount,
  marks: Marks,
  insts: Instruments,
  cfg: PaperConfig,
): AccountMetrics {
  let upnl = 0;
  let perpUpnl = 0;
  let margin = 0;
  let maintenance = 0;
  for (const p of Object.values(account.positions)) {
    const inst = insts(p.symbol);
    const mark = marks(p.symbol) ?? p.entryPrice;
    const u = p.qty * (mark - p.entryPrice);
    upnl += u;
    if (!inst || inst.kind === 'spot') {
      margin += Math.abs(p.qty) * p.entryPrice;
      continue;
    }
    perpUpnl += u;
    margin += (Math.abs(p.qty) * p.entryPrice) / leverageOf(account, inst, cfg);
    maintenance += Math.abs(p.qty) * mark * cfg.maintenanceMarginRate;
  }
  let reserve = 0;
  for (const o of account.orders) {
    const inst = insts(o.symbol);
    if (inst) reserve += orderReserve(account, o, inst, cfg);
  }
  const free = account.wallet - margin - reserve - Math.max(0, -perpUpnl);
  return {
    equity: account.wallet + upnl,
    unrealizedPnl: upnl,
    positionMargin: margin,
    orderReserve: reserve,
    maintenance,
    free,
  };
}

/** Base quantity of a spot asset not yet promised to open sell orders. */
export function spotAvailable(account: PaperAccount, symbol: string, exceptOrderId?: string): number {
  const held = Math.max(0, account.positions[symbol]?.qty ?? 0);
  const promised = account.orders
    .filter((o) => o.symbol === symbol && o.side === 'sell' && isWorking(o) && o.orderId !== exceptOrderId)
    .reduce((a, o) => a + o.quantity - o.filledQuantity, 0);
  return held - promised;
}

export interface FillInput {
  readonly symbol: string;
  readonly orderId: string;
  readonly source: OrderSource;
  readonly side: PaperSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: number;
}

/** Books a fill on the position (average entry on adds, realised P&L on reductions) and the wallet. */
export function applyFill(account: PaperAccount, f: FillInput): { account: PaperAccount; event: PaperEvent } {
  const pos = account.positions[f.symbol];
  const q = pos?.qty ?? 0;
  const e = pos?.entryPrice ?? 0;
  const dq = f.side === 'buy' ? f.quantity : -f.quantity;
  let nq = q + dq;
  if (Math.abs(nq) < QTY_EPSILON) nq = 0;
  let realized = 0;
  let entry: number;
  if (q === 0 || Math.sign(q) === Math.sign(dq)) {
    entry = (Math.abs(q) * e + f.quantity * f.price) / Math.abs(nq);
  } else {
    realized = Math.min(f.quantity, Math.abs(q)) * (f.price - e) * Math.sign(q);
    entry = nq === 0 ? 0 : Math.sign(nq) === Math.sign(q) ? e : f.price;
  }
  const positions = { ...account.positions };
  if (nq === 0) delete positions[f.symbol];
  else {
    const keepStops = pos !== undefined && Math.sign(nq) === Math.sign(q);
    positions[f.symbol] = {
      symbol: f.symbol,
      qty: nq,
      entryPrice: entry,
      takeProfit: keepStops ? pos.takeProfit : null,
      stopLoss: keepStops ? pos.stopLoss : null,
    } satisfies PaperPosition;
  }
  const totals = {
    ...account.totals,
    realizedPnl: account.totals.realizedPnl + realized,
    fees: account.totals.fees + f.fee,
  };
  const next = { ...account, positions, wallet: account.wallet + realized - f.fee, totals };
  return { account: next, event: { kind: 'fill', ...f, realizedPnl: realized } };
}
