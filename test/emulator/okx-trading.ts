import { type EmuEngine, EmuReject, type EmuStopOrder } from './engine.js';
import { base, marketOf, okxAlgoOrder, okxBalance, okxId, okxOrder, okxPosition, reply } from './okx-shapes.js';
import { type EmuRequest, type EmuResponse, num, str, tifFrom } from './types.js';

function placeOne(engine: EmuEngine, p: Readonly<Record<string, unknown>>) {
  const m = marketOf(engine, str(p, 'instId'));
  const ordType = str(p, 'ordType') ?? 'limit';
  const o = engine.place({
    symbol: m.symbol,
    side: str(p, 'side') === 'buy' ? 'buy' : 'sell',
    type: ordType === 'market' ? 'market' : 'limit',
    qty: base(m, str(p, 'sz')),
    price: num(p, 'px') ?? null,
    tif: tifFrom(ordType, 'post_only'),
    reduceOnly: p.reduceOnly === true || p.reduceOnly === 'true',
    clientId: str(p, 'clOrdId'),
  });
  return { clOrdId: o.clientId, ordId: o.id, tag: '', ts: String(Date.now()), sCode: '0', sMsg: 'Order placed' };
}

/** Live stops grouped as OKX algo orders (an `oco` is two emulator stops with one client id). */
function algoGroups(engine: EmuEngine, symbol?: string): EmuStopOrder[][] {
  const groups = new Map<string, EmuStopOrder[]>();
  for (const s of engine.liveStops(symbol)) groups.set(s.clientId, [...(groups.get(s.clientId) ?? []), s]);
  return [...groups.values()];
}

export function okxTrading(req: EmuRequest, engine: EmuEngine): EmuResponse | null {
  const p = req.params;
  const only = () => (str(p, 'instId') === undefined ? undefined : marketOf(engine, str(p, 'instId')).symbol);
  const render = (o: Parameters<typeof okxOrder>[0]) => okxOrder(o, engine.market(o.symbol));
  switch (`${req.method} ${req.path}`) {
    case 'GET /api/v5/account/balance':
      return reply([okxBalance(engine)]);
    case 'GET /api/v5/account/config':
      return reply([
        {
          uid: '44705892343619584',
          acctLv: '2',
          posMode: 'net_mode',
          autoLoan: false,
          perm: 'read_only,trade',
          label: 'arbiter',
          ip: '',
        },
      ]);
    case 'GET /api/v5/account/positions':
      return reply(engine.positions().map((x) => okxPosition(engine, x, engine.market(x.symbol))));
    case 'POST /api/v5/trade/order':
      return reply([placeOne(engine, p)]);
    case 'POST /api/v5/trade/batch-orders':
      return reply((req.bodyList ?? [p]).map((one) => placeOne(engine, one)));
    case 'POST /api/v5/trade/amend-order': {
      const o = engine.find(str(p, 'ordId'), str(p, 'clOrdId'));
      const m = engine.market(o.symbol);
      engine.amend(o.id, {
        qty: str(p, 'newSz') === undefined ? undefined : base(m, str(p, 'newSz')),
        price: num(p, 'newPx'),
      });
      return reply([{ clOrdId: o.clientId, ordId: o.id, reqId: '', sCode: '0', sMsg: '' }]);
    }
    case 'POST /api/v5/trade/cancel-order': {
      const o = engine.cancel(engine.find(str(p, 'ordId'), str(p, 'clOrdId')).id);
      return reply([{ clOrdId: o.clientId, ordId: o.id, sCode: '0', sMsg: '' }]);
    }
    case 'POST /api/v5/trade/cancel-batch-orders':
      return reply(
        (req.bodyList ?? [p]).map((one) => {
          const o = engine.cancel(engine.find(str(one, 'ordId'), str(one, 'clOrdId')).id);
          return { clOrdId: o.clientId, ordId: o.id, sCode: '0', sMsg: '' };
        }),
      );
    case 'GET /api/v5/trade/order':
      marketOf(engine, str(p, 'instId'));
      return reply([render(engine.find(str(p, 'ordId'), str(p, 'clOrdId')))]);
    case 'GET /api/v5/trade/orders-pending':
      return reply(engine.openOrders(only()).map(render));
    case 'GET /api/v5/trade/orders-history': {
      const states = str(p, 'state');
      const rows = engine.allOrders(only()).filter((o) => o.status !== 'new' && o.status !== 'partially_filled');
      return reply(
        rows
          .filter((o) => states === undefined || render(o).state === states)
          .slice(0, num(p, 'limit') ?? 100)
          .map(render),
      );
    }
    case 'POST /api/v5/account/set-leverage': {
      const m = marketOf(engine, str(p, 'instId'));
      engine.setLeverage(m.symbol, num(p, 'lever') ?? 0);
      return reply([{ instId: okxId(m), lever: str(p, 'lever'), mgnMode: str(p, 'mgnMode'), posSide: '' }]);
    }
    case 'POST /api/v5/trade/order-algo': {
      const m = marketOf(engine, str(p, 'instId'));
      const side = str(p, 'side') === 'buy' ? 'buy' : 'sell';
      const clientId = str(p, 'algoClOrdId') ?? `algo${engine.nextId()}`;
      const qty = str(p, 'closeFraction') === '1' ? null : base(m, str(p, 'sz'));
      const tp = num(p, 'tpTriggerPx');
      const sl = num(p, 'slTriggerPx');
      const ids: string[] = [];
      if (tp) ids.push(engine.addStop({ symbol: m.symbol, kind: 'tp', trigger: tp, side, qty, clientId }).id);
      if (sl) ids.push(engine.addStop({ symbol: m.symbol, kind: 'sl', trigger: sl, side, qty, clientId }).id);
      return reply([{ algoId: ids[0], clOrdId: '', algoClOrdId: clientId, sCode: '0', sMsg: '', tag: '' }]);
    }
    case 'GET /api/v5/trade/orders-algo-pending':
      return reply(algoGroups(engine, only()).map((g) => okxAlgoOrder(g, engine.market(g[0]!.symbol))));
    case 'POST /api/v5/trade/cancel-algos':
      return reply(
        (req.bodyList ?? [p]).map((one) => {
          const group = algoGroups(engine).find((g) => g[0]!.id === str(one, 'algoId'));
          if (!group) throw new EmuReject('not_found', 'Order does not exist');
          for (const s of group) engine.cancelStop(s.id);
          return { algoId: group[0]!.id, sCode: '0', sMsg: '' };
        }),
      );
    default:
      return null;
  }
}
