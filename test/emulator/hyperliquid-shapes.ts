import type { EmuEngine, EmuOrder } from './engine.js';
import { candles, topOfBook } from './feed.js';
import type { EmuMarket } from './markets.js';

/**
 * Hyperliquid's `/info` answers, rendered from the engine. Perpetuals are named by coin (`BTC`) and numbered by
 * their place in `meta.universe` (the asset index `a` of every L1 action); numbers are decimal strings.
 */

const BTC = { quote: 'USDC', kind: 'perp', minNotional: 10, contractSize: 1 } as const;

/** Hyperliquid's perps as Arbiter sees them: 5 significant figures of price, `szDecimals` of size. */
export const HYPERLIQUID_MARKETS: readonly EmuMarket[] = [
  {
    ...BTC,
    symbol: 'BTC/USDC:USDC',
    base: 'BTC',
    tickSize: 1,
    stepSize: 0.00001,
    minQty: 0.00001,
    maxLeverage: 40,
    initialPrice: 60_000,
  },
  {
    ...BTC,
    symbol: 'ETH/USDC:USDC',
    base: 'ETH',
    tickSize: 0.1,
    stepSize: 0.0001,
    minQty: 0.0001,
    maxLeverage: 25,
    initialPrice: 3_000,
  },
];

const s = (x: number): string => String(Number(x.toPrecision(12)));

export function szDecimals(m: EmuMarket): number {
  return Math.round(-Math.log10(m.stepSize));
}

export function coinOf(m: EmuMarket): string {
  return m.base;
}

export function meta(engine: EmuEngine): { universe: Record<string, unknown>[] } {
  return {
    universe: engine.markets
      .filter((m) => m.kind === 'perp')
      .map((m) => ({ name: coinOf(m), szDecimals: szDecimals(m), maxLeverage: m.maxLeverage, onlyIsolated: false })),
  };
}

export function assetCtx(engine: EmuEngine, m: EmuMarket): Record<string, unknown> {
  const price = engine.price(m.symbol);
  const { bid, ask } = topOfBook(engine, m.symbol);
  return {
    funding: '0.0000125',
    openInterest: '1000.0',
    prevDayPx: s(price * 0.99),
    dayNtlVlm: '1000000.0',
    premium: '0.0',
    oraclePx: s(price),
    markPx: s(price),
    midPx: s(price),
    impactPxs: [s(bid), s(ask)],
  };
}

export function l2Book(engine: EmuEngine, m: EmuMarket): Record<string, unknown> {
  const price = engine.price(m.symbol);
  const side = (dir: 1 | -1) =>
    Array.from({ length: 20 }, (_, k) => ({ px: s(price + dir * (k + 1) * m.tickSize), sz: s(0.5 * (k + 1)), n: 1 }));
  return { coin: coinOf(m), time: Date.now(), levels: [side(-1), side(1)] };
}

export function candleSnapshot(
  engine: EmuEngine,
  m: EmuMarket,
  interval: string,
  tfMs: number,
  start: number,
  end: number,
): Record<string, unknown>[] {
  const count = Math.min(5_000, Math.max(1, Math.ceil((end - start) / tfMs) + 1));
  return candles(engine, m.symbol, tfMs, count)
    .filter((c) => c.ts + tfMs > start && c.ts <= end)
    .map((c) => ({
      t: c.ts,
      T: c.ts + tfMs - 1,
      s: coinOf(m),
      i: interval,
      o: s(c.open),
      c: s(c.close),
      h: s(c.high),
      l: s(c.low),
      v: s(c.volume),
      n: 10,
    }));
}

/** Hourly funding (Hyperliquid pays funding every hour), oldest first, from `start` to now (at most 500). */
export function fundingHistory(m: EmuMarket, start: number): Record<string, unknown>[] {
  const hour = 3_600_000;
  const last = Math.floor(Date.now() / hour) * hour;
  const first = Math.max(Math.ceil(start / hour) * hour, last - 499 * hour);
  const out: Record<string, unknown>[] = [];
  for (let t = first; t <= last; t += hour) {
    out.push({ coin: coinOf(m), fundingRate: s(0.0000125 * (1 + ((t / hour) % 3))), premium: '0.0001', time: t });
  }
  return out;
}

/**
 * How the venue names an order's state in `orderStatus` / `historicalOrders`; an order refused on arrival keeps its
 * reason (`badAloPxRejected`: a post-only order that would cross; `iocCancelRejected`: an IOC with nothing to match).
 */
function statusOf(o: EmuOrder, refusedOnArrival: boolean): string {
  if (o.status === 'filled') return 'filled';
  if (o.status === 'cancelled' && refusedOnArrival) return o.tif === 'PO' ? 'badAloPxRejected' : 'iocCancelRejected';
  if (o.status === 'cancelled') return 'canceled';
  if (o.status === 'rejected') return 'rejected';
  return 'open';
}

const TIF: Readonly<Record<string, string>> = { GTC: 'Gtc', IOC: 'Ioc', PO: 'Alo', FOK: 'Ioc' };

/** The `frontendOpenOrders` / `orderStatus` order record (every order on the wire is a limit order). */
export function orderRecord(o: EmuOrder, m: EmuMarket, cloid: string | null): Record<string, unknown> {
  return {
    coin: coinOf(m),
    side: o.side === 'buy' ? 'B' : 'A',
    limitPx: s(o.price ?? 0),
    sz: s(o.qty - o.filled),
    oid: Number(o.id),
    timestamp: o.createdAt,
    triggerCondition: 'N/A',
    isTrigger: false,
    triggerPx: '0.0',
    children: [],
    isPositionTpsl: false,
    reduceOnly: o.reduceOnly,
    orderType: 'Limit',
    origSz: s(o.qty),
    tif: TIF[o.tif] ?? 'Gtc',
    cloid,
    ...(o.filled > 0 ? { avgPx: s(o.avgPrice) } : {}),
  };
}

export function orderStatusRecord(
  o: EmuOrder,
  m: EmuMarket,
  cloid: string | null,
  refusedOnArrival = false,
): Record<string, unknown> {
  return { order: orderRecord(o, m, cloid), status: statusOf(o, refusedOnArrival), statusTimestamp: o.updatedAt };
}

/** One fill per filled order (the engine fills an order at one price). */
export function fillRecord(o: EmuOrder, m: EmuMarket, cloid: string | null): Record<string, unknown> {
  return {
    coin: coinOf(m),
    px: s(o.avgPrice),
    sz: s(o.filled),
    side: o.side === 'buy' ? 'B' : 'A',
    time: o.updatedAt,
    startPosition: '0.0',
    dir: o.side === 'buy' ? 'Open Long' : 'Open Short',
    closedPnl: '0.0',
    hash: `0x${'0'.repeat(64)}`,
    oid: Number(o.id),
    crossed: o.liquidity === 'taker',
    fee: s(o.fee),
    tid: Number(o.id) * 10 + 1,
    feeToken: 'USDC',
    cloid,
  };
}

export function clearinghouseState(engine: EmuEngine, crossOf: (symbol: string) => boolean): Record<string, unknown> {
  const a = engine.account();
  const assetPositions = engine.positions().map((p) => {
    const m = engine.market(p.symbol);
    const lev = engine.ledger.leverage(p.symbol);
    const mark = engine.price(p.symbol);
    const upnl = p.qty * (mark - p.entry);
    const margin = (Math.abs(p.qty) * p.entry) / lev;
    const liq = p.qty > 0 ? p.entry * (1 - 1 / lev) : p.entry * (1 + 1 / lev);
    return {
      type: 'oneWay',
      position: {
        coin: coinOf(m),
        szi: s(p.qty),
        entryPx: s(p.entry),
        positionValue: s(Math.abs(p.qty) * mark),
        unrealizedPnl: s(upnl),
        returnOnEquity: s(margin > 0 ? upnl / margin : 0),
        liquidationPx: s(liq),
        marginUsed: s(crossOf(p.symbol) ? margin : margin + upnl),
        leverage: crossOf(p.symbol)
          ? { type: 'cross', value: lev }
          : { type: 'isolated', value: lev, rawUsd: s(-margin) },
        maxLeverage: m.maxLeverage,
        cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
      },
    };
  });
  const used = a.positionMargin + a.orderMargin;
  const ntl = engine.positions().reduce((t, p) => t + Math.abs(p.qty) * engine.price(p.symbol), 0);
  const summary = {
    accountValue: s(a.equity),
    totalNtlPos: s(ntl),
    totalRawUsd: s(a.wallet),
    totalMarginUsed: s(used),
  };
  return {
    marginSummary: summary,
    crossMarginSummary: summary,
    crossMaintenanceMarginUsed: s(used / 2),
    withdrawable: s(Math.max(0, a.available)),
    assetPositions,
    time: Date.now(),
  };
}

export function emptyClearinghouseState(): Record<string, unknown> {
  const zero = { accountValue: '0.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' };
  return {
    marginSummary: zero,
    crossMarginSummary: zero,
    crossMaintenanceMarginUsed: '0.0',
    withdrawable: '0.0',
    assetPositions: [],
    time: Date.now(),
  };
}
