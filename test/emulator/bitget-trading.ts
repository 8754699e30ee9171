import { bitgetAccount, bitgetId, bitgetOrder, bitgetPlanOrder, bitgetPosition, perp, reply } from './bitget-shapes.js';
import { type EmuEngine, EmuReject } from './engine.js';
import { type EmuRequest, type EmuResponse, num, str, tifFrom } from './types.js';

export function bitgetTrading(req: EmuRequest, engine: EmuEngine): EmuResponse | null {
  const p = req.params;
  const only = () => (str(p, 'symbol') === undefined ? undefined : perp(engine, str(p, 'symbol')).symbol);
  const render = (o: Parameters<typeof bitgetOrder>[0]) => bitgetOrder(o, engine.market(o.symbol));
  switch (`${req.method} ${req.path}`) {
    case 'GET /api/v2/mix/account/accounts':
      return reply([bitgetAccount(engine)]);
    case 'GET /api/v2/mix/position/all-position':
      return reply(engine.positions().map((x) => bitgetPosition(engine, x, engine.market(x.symbol))));
    case 'POST /api/v2/mix/order/place-order': {
      const m = perp(engine, str(p, 'symbol'));
      const force = str(p, 'force') ?? 'gtc';
      const o = engine.place({
        symbol: m.symbol,
        side: str(p, 'side') === 'buy' ? 'buy' : 'sell',
        type: str(p, 'orderType') === 'market' ? 'market' : 'limit',
        qty: num(p, 'size') ?? 0,
        price: num(p, 'price') ?? null,
        tif: tifFrom(force, 'post_only'),
        reduceOnly: str(p, 'reduceOnly') === 'YES',
        clientId: str(p, 'clientOid'),
      });
      return reply({ clientOid: o.clientId, orderId: o.id });
    }
    case 'POST /api/v2/mix/order/modify-order': {
      const o = engine.find(str(p, 'orderId'), str(p, 'clientOid'));
      engine.amend(o.id, { qty: num(p, 'newSize'), price: num(p, 'newPrice') });
      return reply({ orderId: o.id, clientOid: o.clientId });
    }
    case 'POST /api/v2/mix/order/cancel-order': {
      const o = engine.cancel(engine.find(str(p, 'orderId'), str(p, 'clientOid')).id);
      return reply({ orderId: o.id, clientOid: o.clientId });
    }
    case 'POST /api/v2/mix/order/batch-cancel-orders': {
      // Without orderIdList: every open order of the symbol.
      const ids = (p.orderIdList as { orderId?: string }[] | undefined)?.map((x) => x.orderId ?? '');
      const cancelled = ids ? ids.map((id) => engine.cancel(id)) : engine.cancelAll(only());
      return reply({ successList: cancelled.map((o) => ({ orderId: o.id, clientOid: o.clientId })), failureList: [] });
    }
    case 'GET /api/v2/mix/order/detail':
      perp(engine, str(p, 'symbol'));
      return reply(render(engine.find(str(p, 'orderId'), str(p, 'clientOid'))));
    case 'GET /api/v2/mix/order/orders-pending':
      return reply({ entrustedList: engine.openOrders(only()).map(render), endId: null });
    case 'GET /api/v2/mix/order/orders-history': {
      const rows = engine.allOrders(only()).filter((o) => o.status !== 'new' && o.status !== 'partially_filled');
      return reply({ entrustedList: rows.slice(0, num(p, 'limit') ?? 100).map(render), endId: null });
    }
    case 'POST /api/v2/mix/account/set-leverage': {
      const m = perp(engine, str(p, 'symbol'));
      engine.setLeverage(m.symbol, num(p, 'leverage') ?? 0);
      const lev = str(p, 'leverage');
      return reply({
        symbol: bitgetId(m),
        marginCoin: m.quote,
        longLeverage: lev,
        shortLeverage: lev,
        crossMarginLeverage: lev,
        marginMode: 'crossed',
      });
    }
    case 'POST /api/v2/mix/order/place-tpsl-order': {
      const m = perp(engine, str(p, 'symbol'));
      const planType = str(p, 'planType') ?? '';
      const kind = planType.includes('profit') ? 'tp' : 'sl';
      if (!planType.startsWith('pos_')) throw new EmuReject('invalid', `planType ${planType} not emulated`);
      if (engine.position(m.symbol).qty === 0) throw new EmuReject('reduce_only', 'No position');
      // Position TP/SL: one of each kind per position; a new one replaces the old.
      for (const s of engine.liveStops(m.symbol).filter((x) => x.kind === kind)) engine.cancelStop(s.id);
      const holdSide = str(p, 'holdSide');
      const s = engine.addStop({
        symbol: m.symbol,
        kind,
        trigger: num(p, 'triggerPrice') ?? 0,
        side: holdSide === 'buy' || holdSide === 'long' ? 'sell' : 'buy',
        qty: null,
        clientId: str(p, 'clientOid'),
      });
      return reply({ orderId: s.id, clientOid: s.clientId });
    }
    case 'GET /api/v2/mix/order/orders-plan-pending':
      return reply({
        entrustedList: engine.liveStops(only()).map((s) => bitgetPlanOrder(s, engine.market(s.symbol))),
        endId: null,
      });
    case 'POST /api/v2/mix/order/cancel-plan-order': {
      const ids = (p.orderIdList as { orderId?: string }[] | undefined) ?? [];
      const successList = ids
        .map((x) => engine.cancelStop(x.orderId ?? ''))
        .map((s) => ({ orderId: s.id, clientOid: s.clientId }));
      return reply({ successList, failureList: [] });
    }
    default:
      return null;
  }
}
