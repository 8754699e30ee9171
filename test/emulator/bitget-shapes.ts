import { type EmuEngine, type EmuOrder, EmuReject, type EmuStopOrder } from './engine.js';
import type { EmuPosition } from './ledger.js';
import { decimalsOf, type EmuMarket, fmt } from './markets.js';
import type { EmuResponse } from './types.js';

/** Bitget v2 (classic account) response shapes: `/api/v2/spot`, `/api/v2/mix` (USDT-FUTURES). */

export function bitgetId(m: EmuMarket): string {
  return `${m.base}${m.quote}`;
}

export function bitgetSpotSymbol(m: EmuMarket): Record<string, unknown> {
  return {
    symbol: bitgetId(m),
    baseCoin: m.base,
    quoteCoin: m.quote,
    minTradeAmount: String(m.minQty),
    maxTradeAmount: '10000000000',
    takerFeeRate: '0.001',
    makerFeeRate: '0.001',
    pricePrecision: String(decimalsOf(m.tickSize)),
    quantityPrecision: String(decimalsOf(m.stepSize)),
    quotePrecision: '8',
    status: 'online',
    minTradeUSDT: String(m.minNotional),
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    areaSymbol: 'no',
    orderQuantity: '200',
    openTime: '1532454360000',
    offTime: '',
  };
}

export function bitgetContract(m: EmuMarket): Record<string, unknown> {
  return {
    symbol: bitgetId(m),
    baseCoin: m.base,
    quoteCoin: m.quote,
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    feeRateUpRatio: '0.005',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0006',
    openCostUpRatio: '0.01',
    supportMarginCoins: [m.quote],
    minTradeNum: String(m.minQty),
    priceEndStep: '1',
    volumePlace: String(decimalsOf(m.stepSize)),
    pricePlace: String(decimalsOf(m.tickSize)),
    sizeMultiplier: String(m.stepSize),
    symbolType: 'perpetual',
    minTradeUSDT: String(m.minNotional),
    maxSymbolOrderNum: '200',
    maxProductOrderNum: '400',
    maxPositionNum: '150',
    symbolStatus: 'normal',
    offTime: '-1',
    limitOpenTime: '-1',
    deliveryTime: '',
    deliveryStartTime: '',
    launchTime: '',
    fundInterval: '8',
    minLever: '1',
    maxLever: String(m.maxLeverage),
    posLimit: '0.05',
    maintainTime: '',
  };
}

const STATE: Record<EmuOrder['status'], string> = {
  new: 'live',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'canceled',
  rejected: 'canceled',
};

export function bitgetOrder(o: EmuOrder, m: EmuMarket): Record<string, unknown> {
  return {
    symbol: bitgetId(m),
    size: fmt(o.qty, m.stepSize),
    orderId: o.id,
    clientOid: o.clientId,
    baseVolume: fmt(o.filled, m.stepSize),
    fee: o.fee > 0 ? String(-o.fee) : '0',
    price: o.price === null ? '' : fmt(o.price, m.tickSize),
    priceAvg: o.filled > 0 ? String(o.avgPrice) : '',
    state: STATE[o.status],
    side: o.side,
    force: o.tif === 'PO' ? 'post_only' : o.tif.toLowerCase(),
    totalProfits: '0',
    posSide: 'net',
    marginCoin: m.quote,
    presetStopSurplusPrice: '',
    presetStopLossPrice: '',
    quoteVolume: String(o.filled * o.avgPrice),
    orderType: o.type,
    leverage: '10',
    marginMode: 'crossed',
    reduceOnly: o.reduceOnly ? 'YES' : 'NO',
    enterPointSource: 'API',
    tradeSide: o.side === 'buy' ? 'buy_single' : 'sell_single',
    posMode: 'one_way_mode',
    orderSource: o.type === 'market' ? 'market' : 'normal',
    cancelReason: '',
    cTime: String(o.createdAt),
    uTime: String(o.updatedAt),
  };
}

export function bitgetPlanOrder(s: EmuStopOrder, m: EmuMarket): Record<string, unknown> {
  return {
    planType: s.kind === 'tp' ? 'pos_profit' : 'pos_loss',
    symbol: bitgetId(m),
    size: s.qty === null ? '' : fmt(s.qty, m.stepSize),
    orderId: s.id,
    clientOid: s.clientId,
    price: '0',
    executePrice: '0',
    callbackRatio: '',
    triggerPrice: fmt(s.trigger, m.tickSize),
    triggerType: 'mark_price',
    planStatus: 'live',
    side: s.side,
    posSide: 'net',
    marginCoin: m.quote,
    marginMode: 'crossed',
    enterPointSource: 'API',
    tradeSide: s.side === 'buy' ? 'buy_single' : 'sell_single',
    posMode: 'one_way_mode',
    orderType: 'market',
    orderSource: s.kind === 'tp' ? 'pos_profit_market' : 'pos_loss_market',
    cTime: String(s.createdAt),
    uTime: String(s.createdAt),
  };
}

export function bitgetPosition(engine: EmuEngine, p: EmuPosition, m: EmuMarket): Record<string, unknown> {
  const mark = engine.price(m.symbol);
  const lever = engine.ledger.leverage(m.symbol);
  const size = Math.abs(p.qty);
  return {
    marginCoin: m.quote,
    symbol: bitgetId(m),
    holdSide: p.qty > 0 ? 'long' : 'short',
    openDelegateSize: '0',
    marginSize: String((size * p.entry) / lever),
    available: fmt(size, m.stepSize),
    locked: '0',
    total: fmt(size, m.stepSize),
    leverage: String(lever),
    achievedProfits: String(p.realized),
    openPriceAvg: String(p.entry),
    marginMode: 'crossed',
    posMode: 'one_way_mode',
    unrealizedPL: String(p.qty * (mark - p.entry)),
    liquidationPrice: '0',
    keepMarginRate: '0.004',
    markPrice: String(mark),
    marginRatio: '0',
    breakEvenPrice: String(p.entry),
    totalFee: '0',
    deductedFee: '0',
    takeProfit: '',
    stopLoss: '',
    takeProfitId: '',
    stopLossId: '',
    autoMargin: 'off',
    cTime: String(p.updatedAt),
    uTime: String(p.updatedAt),
  };
}

export function bitgetAccount(engine: EmuEngine): Record<string, unknown> {
  const a = engine.account();
  return {
    marginCoin: 'USDT',
    locked: String(a.orderMargin),
    available: String(a.wallet),
    crossedMaxAvailable: String(a.available),
    isolatedMaxAvailable: String(a.available),
    maxTransferOut: String(a.available),
    accountEquity: String(a.equity),
    usdtEquity: String(a.equity),
    btcEquity: '0',
    crossedRiskRate: '0',
    unrealizedPL: String(a.upnl),
    coupon: '0',
    unionTotalMagin: '0',
    unionAvailable: '0',
    unionMm: '0',
    assetList: [],
    isolatedMargin: '0',
    crossedMargin: String(a.positionMargin),
    crossedUnrealizedPL: String(a.upnl),
    isolatedUnrealizedPL: '0',
    assetMode: 'single',
  };
}

export function reply(data: unknown, code = '00000', msg = 'success', status = 200): EmuResponse {
  return { status, body: { code, msg, requestTime: Date.now(), data } };
}

export function perp(engine: EmuEngine, id: string | undefined): EmuMarket {
  const m = engine.markets.find((x) => x.kind === 'perp' && bitgetId(x) === id);
  if (!m) throw new EmuReject('invalid', `symbol ${id ?? ''} does not exist`);
  return m;
}
