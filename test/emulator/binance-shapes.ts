import { type EmuEngine, type EmuOrder, EmuReject, type EmuStopOrder } from './engine.js';
import type { EmuPosition } from './ledger.js';
import { decimalsOf, type EmuMarket, fmt } from './markets.js';
import { type EmuResponse, str } from './types.js';

/** Binance spot `/api/v3` and USDⓈ-M futures `/fapi` response shapes. */

export function binanceId(m: EmuMarket): string {
  return `${m.base}${m.quote}`;
}

function filters(m: EmuMarket, perp: boolean): Record<string, unknown>[] {
  const lot = { minQty: String(m.minQty), maxQty: '1000', stepSize: String(m.stepSize) };
  const out: Record<string, unknown>[] = [
    { filterType: 'PRICE_FILTER', minPrice: String(m.tickSize), maxPrice: '4529764', tickSize: String(m.tickSize) },
    { filterType: 'LOT_SIZE', ...lot },
    { filterType: 'MARKET_LOT_SIZE', ...lot, maxQty: '120' },
  ];
  if (perp) {
    out.push({ filterType: 'MAX_NUM_ORDERS', limit: 200 }, { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 });
    out.push({ filterType: 'MIN_NOTIONAL', notional: String(m.minNotional) });
  } else {
    out.push({
      filterType: 'NOTIONAL',
      minNotional: String(m.minNotional),
      applyMinToMarket: true,
      maxNotional: '9000000',
    });
  }
  return out;
}

export function binanceSpotSymbol(m: EmuMarket): Record<string, unknown> {
  return {
    symbol: binanceId(m),
    status: 'TRADING',
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: filters(m, false),
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

export function binancePerpSymbol(m: EmuMarket): Record<string, unknown> {
  return {
    symbol: binanceId(m),
    pair: binanceId(m),
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: m.base,
    quoteAsset: m.quote,
    marginAsset: m.quote,
    pricePrecision: decimalsOf(m.tickSize),
    quantityPrecision: decimalsOf(m.stepSize),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    filters: filters(m, true),
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
  };
}

const STATUS: Record<EmuOrder['status'], string> = {
  new: 'NEW',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  cancelled: 'CANCELED',
  rejected: 'REJECTED',
};

export function binanceOrder(o: EmuOrder, m: EmuMarket): Record<string, unknown> {
  const expired = o.status === 'cancelled' && o.tif !== 'GTC';
  return {
    orderId: Number(o.id),
    symbol: binanceId(m),
    status: expired ? 'EXPIRED' : STATUS[o.status],
    clientOrderId: o.clientId,
    price: o.price === null ? '0' : fmt(o.price, m.tickSize),
    avgPrice: o.filled > 0 ? String(o.avgPrice) : '0',
    origQty: fmt(o.qty, m.stepSize),
    executedQty: fmt(o.filled, m.stepSize),
    cumQuote: String(o.filled * o.avgPrice),
    timeInForce: o.tif === 'PO' ? 'GTX' : o.tif,
    type: o.type === 'market' ? 'MARKET' : 'LIMIT',
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side.toUpperCase(),
    positionSide: 'BOTH',
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type === 'market' ? 'MARKET' : 'LIMIT',
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: o.createdAt,
    updateTime: o.updatedAt,
  };
}

export function binanceAlgoOrder(s: EmuStopOrder, m: EmuMarket): Record<string, unknown> {
  return {
    algoId: Number(s.id),
    clientAlgoId: s.clientId,
    algoType: 'CONDITIONAL',
    orderType: s.kind === 'tp' ? 'TAKE_PROFIT_MARKET' : 'STOP_MARKET',
    symbol: binanceId(m),
    side: s.side.toUpperCase(),
    positionSide: 'BOTH',
    timeInForce: 'GTC',
    quantity: s.qty === null ? '0' : fmt(s.qty, m.stepSize),
    algoStatus: s.status === 'live' ? 'NEW' : s.status === 'cancelled' ? 'CANCELED' : 'TRIGGERED',
    triggerPrice: fmt(s.trigger, m.tickSize),
    price: '0',
    workingType: 'CONTRACT_PRICE',
    priceMatch: 'NONE',
    closePosition: s.qty === null,
    priceProtect: false,
    reduceOnly: true,
    createTime: s.createdAt,
    updateTime: s.createdAt,
    triggerTime: 0,
    goodTillDate: 0,
  };
}

export function binancePositionRisk(engine: EmuEngine, p: EmuPosition, m: EmuMarket): Record<string, unknown> {
  const mark = engine.price(m.symbol);
  const notional = p.qty * mark;
  const im = (Math.abs(p.qty) * p.entry) / engine.ledger.leverage(m.symbol);
  return {
    symbol: binanceId(m),
    positionSide: 'BOTH',
    positionAmt: fmt(p.qty, m.stepSize),
    entryPrice: String(p.entry),
    breakEvenPrice: String(p.entry),
    markPrice: fmt(mark, m.tickSize),
    unRealizedProfit: String(p.qty * (mark - p.entry)),
    liquidationPrice: '0',
    isolatedMargin: '0',
    notional: String(notional),
    marginAsset: m.quote,
    isolatedWallet: '0',
    initialMargin: String(im),
    maintMargin: String(Math.abs(notional) * 0.004),
    positionInitialMargin: String(im),
    openOrderInitialMargin: '0',
    adl: 1,
    bidNotional: '0',
    askNotional: '0',
    updateTime: p.updatedAt,
  };
}

export function binanceAccount(engine: EmuEngine): Record<string, unknown> {
  const a = engine.account();
  const s = (x: number) => x.toFixed(8);
  return {
    totalInitialMargin: s(a.positionMargin + a.orderMargin),
    totalMaintMargin: '0',
    totalWalletBalance: s(a.wallet),
    totalUnrealizedProfit: s(a.upnl),
    totalMarginBalance: s(a.equity),
    totalPositionInitialMargin: s(a.positionMargin),
    totalOpenOrderInitialMargin: s(a.orderMargin),
    totalCrossWalletBalance: s(a.wallet),
    totalCrossUnPnl: s(a.upnl),
    availableBalance: s(a.available),
    maxWithdrawAmount: s(a.available),
    assets: [
      {
        asset: 'USDT',
        walletBalance: s(a.wallet),
        unrealizedProfit: s(a.upnl),
        marginBalance: s(a.equity),
        maintMargin: '0',
        initialMargin: s(a.positionMargin + a.orderMargin),
        positionInitialMargin: s(a.positionMargin),
        openOrderInitialMargin: s(a.orderMargin),
        crossWalletBalance: s(a.wallet),
        crossUnPnl: s(a.upnl),
        availableBalance: s(a.available),
        maxWithdrawAmount: s(a.available),
        updateTime: Date.now(),
      },
    ],
    positions: [],
  };
}

export function error(code: number, msg: string, status = 400): EmuResponse {
  return { status, body: { code, msg } };
}

export function perp(engine: EmuEngine, p: Readonly<Record<string, unknown>>): EmuMarket {
  const id = str(p, 'symbol');
  const m = engine.markets.find((x) => x.kind === 'perp' && binanceId(x) === id);
  if (!m) throw new EmuReject('invalid', 'Invalid symbol.');
  return m;
}
