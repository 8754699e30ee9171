import { type EmuEngine, type EmuOrder, EmuReject, type EmuStopOrder } from './engine.js';
import type { EmuPosition } from './ledger.js';
import { decimalsOf, type EmuMarket, fmt } from './markets.js';
import type { EmuResponse } from './types.js';

/** OKX v5 response shapes. Swap sizes are in contracts of `ctVal` base units. */

export function okxId(m: EmuMarket): string {
  return m.kind === 'spot' ? `${m.base}-${m.quote}` : `${m.base}-${m.quote}-SWAP`;
}

/** Base units → contracts (swap) as OKX writes them. */
export function okxSz(m: EmuMarket, base: number): string {
  const lot = m.stepSize / m.contractSize;
  return (base / m.contractSize).toFixed(decimalsOf(lot));
}

export function okxInstrument(m: EmuMarket): Record<string, unknown> {
  const common = {
    instId: okxId(m),
    tickSz: String(m.tickSize),
    state: 'live',
    listTime: '1606468572000',
    expTime: '',
  };
  if (m.kind === 'spot') {
    return {
      ...common,
      instType: 'SPOT',
      baseCcy: m.base,
      quoteCcy: m.quote,
      settleCcy: '',
      ctVal: '',
      ctMult: '',
      ctValCcy: '',
      lever: '10',
      lotSz: String(m.stepSize),
      minSz: String(m.minQty),
      maxLmtSz: '9999999999',
      maxMktSz: '1000000',
      uly: '',
      instFamily: '',
    };
  }
  const lot = okxSz(m, m.stepSize);
  return {
    ...common,
    instType: 'SWAP',
    uly: `${m.base}-${m.quote}`,
    instFamily: `${m.base}-${m.quote}`,
    baseCcy: '',
    quoteCcy: '',
    settleCcy: m.quote,
    ctVal: String(m.contractSize),
    ctMult: '1',
    ctValCcy: m.base,
    ctType: 'linear',
    lever: String(m.maxLeverage),
    lotSz: lot,
    minSz: okxSz(m, m.minQty),
    maxLmtSz: '100000000',
    maxMktSz: '12000',
    alias: '',
  };
}

const STATE: Record<EmuOrder['status'], string> = {
  new: 'live',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'canceled',
  rejected: 'canceled',
};

export function okxOrderType(o: EmuOrder): string {
  if (o.type === 'market') return 'market';
  return { GTC: 'limit', IOC: 'ioc', FOK: 'fok', PO: 'post_only' }[o.tif];
}

export function okxOrder(o: EmuOrder, m: EmuMarket): Record<string, unknown> {
  return {
    instType: m.kind === 'spot' ? 'SPOT' : 'SWAP',
    instId: okxId(m),
    ccy: '',
    ordId: o.id,
    clOrdId: o.clientId,
    tag: '',
    px: o.price === null ? '' : fmt(o.price, m.tickSize),
    sz: okxSz(m, o.qty),
    pnl: '0',
    ordType: okxOrderType(o),
    side: o.side,
    posSide: 'net',
    tdMode: 'cross',
    accFillSz: okxSz(m, o.filled),
    fillPx: o.filled > 0 ? String(o.avgPrice) : '',
    tradeId: '',
    fillSz: okxSz(m, o.filled),
    fillTime: o.filled > 0 ? String(o.updatedAt) : '',
    avgPx: o.filled > 0 ? String(o.avgPrice) : '',
    state: STATE[o.status],
    lever: '10',
    tpTriggerPx: '',
    slTriggerPx: '',
    feeCcy: m.quote,
    fee: o.fee > 0 ? String(-o.fee) : '0',
    rebateCcy: m.quote,
    rebate: '0',
    source: '',
    category: 'normal',
    reduceOnly: String(o.reduceOnly),
    cancelSource: '',
    uTime: String(o.updatedAt),
    cTime: String(o.createdAt),
  };
}

/** One pending algo order per emulator stop; an OKX `oco` pair shares its client id and is rendered once. */
export function okxAlgoOrder(stops: readonly EmuStopOrder[], m: EmuMarket): Record<string, unknown> {
  const tp = stops.find((s) => s.kind === 'tp');
  const sl = stops.find((s) => s.kind === 'sl');
  const first = stops[0]!;
  return {
    algoId: first.id,
    algoClOrdId: first.clientId,
    instType: 'SWAP',
    instId: okxId(m),
    ordType: tp && sl ? 'oco' : 'conditional',
    side: first.side,
    posSide: 'net',
    tdMode: 'cross',
    sz: '',
    closeFraction: '1',
    reduceOnly: 'true',
    state: 'live',
    tpTriggerPx: tp ? fmt(tp.trigger, m.tickSize) : '',
    tpOrdPx: tp ? '-1' : '',
    tpTriggerPxType: 'last',
    slTriggerPx: sl ? fmt(sl.trigger, m.tickSize) : '',
    slOrdPx: sl ? '-1' : '',
    slTriggerPxType: 'last',
    cTime: String(first.createdAt),
    uTime: String(first.createdAt),
  };
}

export function okxPosition(engine: EmuEngine, p: EmuPosition, m: EmuMarket): Record<string, unknown> {
  const mark = engine.price(m.symbol);
  const lever = engine.ledger.leverage(m.symbol);
  const notional = Math.abs(p.qty) * mark;
  return {
    instType: 'SWAP',
    instId: okxId(m),
    mgnMode: 'cross',
    posId: `pos-${m.base}`,
    posSide: 'net',
    pos: (p.qty < 0 ? '-' : '') + okxSz(m, Math.abs(p.qty)),
    posCcy: '',
    availPos: '',
    avgPx: String(p.entry),
    markPx: String(mark),
    upl: String(p.qty * (mark - p.entry)),
    uplRatio: '0',
    lever: String(lever),
    liqPx: '',
    imr: String(notional / lever),
    margin: '',
    mgnRatio: '0',
    mmr: String(notional * 0.004),
    notionalUsd: String(notional),
    ccy: m.quote,
    last: String(mark),
    realizedPnl: String(p.realized),
    cTime: String(p.updatedAt),
    uTime: String(p.updatedAt),
  };
}

export function okxBalance(engine: EmuEngine): Record<string, unknown> {
  const a = engine.account();
  return {
    adjEq: String(a.equity),
    imr: String(a.positionMargin + a.orderMargin),
    mmr: '0',
    notionalUsd: '0',
    ordFroz: String(a.orderMargin),
    totalEq: String(a.equity),
    uTime: String(Date.now()),
    details: [
      {
        ccy: 'USDT',
        eq: String(a.equity),
        cashBal: String(a.wallet),
        availBal: String(a.available),
        availEq: String(a.available),
        frozenBal: String(a.positionMargin + a.orderMargin),
        ordFrozen: String(a.orderMargin),
        upl: String(a.upnl),
        eqUsd: String(a.equity),
        uTime: String(Date.now()),
      },
    ],
  };
}

export function reply(data: unknown[], code = '0', msg = '', status = 200): EmuResponse {
  return { status, body: { code, msg, data } };
}

export function marketOf(engine: EmuEngine, instId: string | undefined): EmuMarket {
  const m = engine.markets.find((x) => okxId(x) === instId);
  if (!m) throw new EmuReject('invalid', `Instrument ID ${instId ?? ''} does not exist`);
  return m;
}

export function base(m: EmuMarket, sz: string | undefined): number {
  return Number(sz ?? 0) * (m.kind === 'perp' ? m.contractSize : 1);
}
