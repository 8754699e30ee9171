import { bybitOrder, bybitPosition, marketById, marketOf, reply } from './bybit-shapes.js';
import { type EmuEngine, isOpen } from './engine.js';
import { type EmuRequest, type EmuResponse, num, str, tifFrom } from './types.js';

export function bybitTrading(req: EmuRequest, engine: EmuEngine): EmuResponse | null {
  const p = req.params;
  switch (`${req.method} ${req.path}`) {
    case 'GET /v5/position/list': {
      const only = str(p, 'symbol') === undefined ? null : marketOf(engine, p).symbol;
      const list = engine
        .positions()
        .filter((x) => only === null || x.symbol === only)
        .map((x) => bybitPosition(engine, x, marketById(engine, x.symbol)));
      return reply({ category: 'linear', list, nextPageCursor: '' });
    }
    case 'POST /v5/order/create': {
      const m = marketOf(engine, p);
      const tif = str(p, 'timeInForce');
      const o = engine.place({
        symbol: m.symbol,
        side: str(p, 'side') === 'Buy' ? 'buy' : 'sell',
        type: str(p, 'orderType') === 'Market' ? 'market' : 'limit',
        qty: num(p, 'qty') ?? 0,
        price: num(p, 'price') ?? null,
        tif: tifFrom(tif, 'PostOnly'),
        reduceOnly: p.reduceOnly === true || p.reduceOnly === 'true',
        clientId: str(p, 'orderLinkId'),
      });
      return reply({ orderId: o.id, orderLinkId: o.clientId });
    }
    case 'POST /v5/order/amend': {
      const o = engine.find(str(p, 'orderId'), str(p, 'orderLinkId'));
      engine.amend(o.id, { qty: num(p, 'qty'), price: num(p, 'price') });
      return reply({ orderId: o.id, orderLinkId: o.clientId });
    }
    case 'POST /v5/order/cancel': {
      const o = engine.cancel(engine.find(str(p, 'orderId'), str(p, 'orderLinkId')).id);
      return reply({ orderId: o.id, orderLinkId: o.clientId });
    }
    case 'POST /v5/order/cancel-all': {
      const only = str(p, 'symbol') === undefined ? undefined : marketOf(engine, p).symbol;
      const list = engine.cancelAll(only).map((o) => ({ orderId: o.id, orderLinkId: o.clientId }));
      return reply({ list, success: '1' });
    }
    case 'GET /v5/order/realtime':
    case 'GET /v5/order/history': {
      const open = req.path.endsWith('realtime');
      const only = str(p, 'symbol') === undefined ? undefined : marketOf(engine, p).symbol;
      const byId = str(p, 'orderId');
      const byLink = str(p, 'orderLinkId');
      const status = str(p, 'orderStatus');
      const list = engine
        .allOrders(only)
        .filter((o) => (byId === undefined || o.id === byId) && (byLink === undefined || o.clientId === byLink))
        .filter((o) => (byId !== undefined || byLink !== undefined ? true : open === isOpen(o)))
        .filter((o) => status === undefined || status.split(',').includes(bybitOrderStatus(o)))
        .slice(0, num(p, 'limit') ?? 20)
        .map((o) => bybitOrder(o, marketById(engine, o.symbol)));
      return reply({ category: 'linear', list, nextPageCursor: '' });
    }
    case 'POST /v5/position/set-leverage': {
      const m = marketOf(engine, p);
      const lev = num(p, 'buyLeverage') ?? 0;
      if (engine.ledger.leverage(m.symbol) === lev) return reply({}, 110043, 'Set leverage not modified');
      engine.setLeverage(m.symbol, lev);
      return reply({});
    }
    case 'POST /v5/position/trading-stop': {
      const m = marketOf(engine, p);
      if (engine.position(m.symbol).qty === 0) return reply({}, 10001, 'can not set tp/sl/ts for zero position');
      const level = (k: string) => (str(p, k) === undefined ? undefined : num(p, k) === 0 ? null : num(p, k));
      engine.setPositionStops(m.symbol, { tp: level('takeProfit'), sl: level('stopLoss') });
      return reply({});
    }
    default:
      return null;
  }
}

function bybitOrderStatus(o: { status: string }): string {
  return (
    { new: 'New', partially_filled: 'PartiallyFilled', filled: 'Filled', cancelled: 'Cancelled' }[o.status] ??
    'Rejected'
  );
}
