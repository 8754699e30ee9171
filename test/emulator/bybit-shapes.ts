import { type EmuEngine, type EmuOrder, EmuReject } from './engine.js';
import { topOfBook } from './feed.js';
import type { EmuPosition } from './ledger.js';
import { type EmuMarket, fmt } from './markets.js';
import { type EmuResponse, str } from './types.js';

/** Bybit v5 response shapes (https://bybit-exchange.github.io/docs/v5/intro). */

export function bybitId(m: EmuMarket): string {
  return `${m.base}${m.quote}`;
}

export function bybitCategory(m: EmuMarket): 'spot' | 'linear' {
  return m.kind === 'spot' ? 'spot' : 'linear';
}

export function bybitInstrument(m: EmuMarket): Record<string, unknown> {
  const common = { symbol: bybitId(m), baseCoin: m.base, quoteCoin: m.quote, status: 'Trading' };
  if (m.kind === 'spot') {
    return {
      ...common,
      innovation: '0',
      marginTrading: 'both',
      lotSizeFilter: {
        basePrecision: String(m.stepSize),
        quotePrecision: '0.00000001',
        minOrderQty: String(m.minQty),
        maxOrderQty: '100',
        minOrderAmt: String(m.minNotional),
        maxOrderAmt: '2000000',
      },
      priceFilter: { tickSize: String(m.tickSize) },
    };
  }
  return {
    ...common,
    contractType: 'LinearPerpetual',
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: '2',
    leverageFilter: { minLeverage: '1', maxLeverage: m.maxLeverage.toFixed(2), leverageStep: '0.01' },
    priceFilter: { minPrice: String(m.tickSize), maxPrice: '1999999.80', tickSize: String(m.tickSize) },
    lotSizeFilter: {
      maxOrderQty: '1190',
      minOrderQty: String(m.minQty),
      qtyStep: String(m.stepSize),
      postOnlyMaxOrderQty: '1190',
      maxMktOrderQty: '500',
      minNotionalValue: String(m.minNotional),
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: m.quote,
    copyTrading: 'both',
  };
}

export function bybitTicker(engine: EmuEngine, m: EmuMarket): Record<string, unknown> {
  const price = engine.price(m.symbol);
  const { bid, ask } = topOfBook(engine, m.symbol);
  const t = (x: number) => fmt(x, m.tickSize);
  const base = {
    symbol: bybitId(m),
    bid1Price: t(bid),
    bid1Size: '1.2',
    ask1Price: t(ask),
    ask1Size: '0.8',
    lastPrice: t(price),
    prevPrice24h: t(price * 0.99),
    price24hPcnt: '0.0101',
    highPrice24h: t(price * 1.02),
    lowPrice24h: t(price * 0.97),
    turnover24h: String(1_000 * price),
    volume24h: '1000',
  };
  if (m.kind === 'spot') return { ...base, usdIndexPrice: t(price) };
  return {
    ...base,
    indexPrice: t(price),
    markPrice: t(price),
    prevPrice1h: t(price),
    openInterest: '52000',
    openInterestValue: String(52_000 * price),
    fundingRate: '0.0001',
    nextFundingTime: String(Math.ceil(Date.now() / 28_800_000) * 28_800_000),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    basis: '',
  };
}

const STATUS: Record<EmuOrder['status'], string> = {
  new: 'New',
  partially_filled: 'PartiallyFilled',
  filled: 'Filled',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};
const TIF: Record<EmuOrder['tif'], string> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK', PO: 'PostOnly' };

export function bybitOrder(o: EmuOrder, m: EmuMarket): Record<string, unknown> {
  const q = (x: number) => fmt(x, m.stepSize);
  return {
    orderId: o.id,
    orderLinkId: o.clientId,
    blockTradeId: '',
    symbol: bybitId(m),
    price: o.price === null ? '0' : fmt(o.price, m.tickSize),
    qty: q(o.qty),
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: '',
    positionIdx: 0,
    orderStatus: STATUS[o.status],
    cancelType: o.status === 'cancelled' ? 'CancelByUser' : 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: o.filled > 0 ? String(o.avgPrice) : '',
    leavesQty: o.status === 'new' || o.status === 'partially_filled' ? q(o.qty - o.filled) : '0',
    leavesValue: '0',
    cumExecQty: q(o.filled),
    cumExecValue: String(o.filled * o.avgPrice),
    cumExecFee: String(o.fee),
    cumFeeDetail: o.fee > 0 ? { USDT: String(o.fee) } : {},
    timeInForce: o.type === 'market' ? 'IOC' : TIF[o.tif],
    orderType: o.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: '',
    orderIv: '',
    triggerPrice: '',
    takeProfit: '',
    stopLoss: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: false,
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: '',
    placeType: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
  };
}

export function bybitPosition(engine: EmuEngine, p: EmuPosition, m: EmuMarket): Record<string, unknown> {
  const mark = engine.price(m.symbol);
  const size = Math.abs(p.qty);
  const leverage = engine.ledger.leverage(m.symbol);
  return {
    positionIdx: 0,
    riskId: 1,
    riskLimitValue: '2000000',
    symbol: bybitId(m),
    side: p.qty > 0 ? 'Buy' : p.qty < 0 ? 'Sell' : '',
    size: fmt(size, m.stepSize),
    avgPrice: String(p.entry),
    positionValue: String(size * p.entry),
    tradeMode: 0,
    autoAddMargin: 0,
    positionStatus: 'Normal',
    leverage: String(leverage),
    markPrice: fmt(mark, m.tickSize),
    liqPrice: '',
    bustPrice: '',
    positionIM: String((size * p.entry) / leverage),
    positionMM: String(size * p.entry * 0.005),
    takeProfit: p.tp === null ? '0' : String(p.tp),
    stopLoss: p.sl === null ? '0' : String(p.sl),
    trailingStop: '0',
    unrealisedPnl: String(p.qty * (mark - p.entry)),
    curRealisedPnl: String(p.realized),
    cumRealisedPnl: String(p.realized),
    tpslMode: 'Full',
    createdTime: String(p.updatedAt),
    updatedTime: String(p.updatedAt),
  };
}

export function bybitWallet(engine: EmuEngine): Record<string, unknown> {
  const a = engine.account();
  return {
    list: [
      {
        accountType: 'UNIFIED',
        totalEquity: String(a.equity),
        totalWalletBalance: String(a.wallet),
        totalMarginBalance: String(a.equity),
        totalAvailableBalance: String(a.available),
        totalPerpUPL: String(a.upnl),
        totalInitialMargin: String(a.positionMargin + a.orderMargin),
        totalMaintenanceMargin: '0',
        accountIMRate: '0',
        accountMMRate: '0',
        accountLTV: '0',
        coin: [
          {
            coin: 'USDT',
            equity: String(a.equity),
            usdValue: String(a.equity),
            walletBalance: String(a.wallet),
            unrealisedPnl: String(a.upnl),
            totalPositionIM: String(a.positionMargin),
            totalOrderIM: String(a.orderMargin),
            totalPositionMM: '0',
            locked: '0',
            availableToWithdraw: '',
            availableToBorrow: '',
            borrowAmount: '0',
            accruedInterest: '0',
            bonus: '0',
            cumRealisedPnl: '0',
            collateralSwitch: true,
            marginCollateral: true,
          },
        ],
      },
    ],
  };
}

export function reply(result: unknown, retCode = 0, retMsg = 'OK', status = 200): EmuResponse {
  return { status, body: { retCode, retMsg, result, retExtInfo: {}, time: Date.now() } };
}

export function marketOf(engine: EmuEngine, params: Readonly<Record<string, unknown>>): EmuMarket {
  const category = str(params, 'category') ?? 'linear';
  const id = str(params, 'symbol');
  const m = engine.markets.find((x) => bybitId(x) === id && bybitCategory(x) === category);
  if (!m) throw new EmuReject('invalid', `params error: symbol invalid ${id ?? ''}`);
  return m;
}

export function marketById(engine: EmuEngine, symbol: string): EmuMarket {
  return engine.market(symbol);
}
