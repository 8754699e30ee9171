import {
  binanceAccount,
  binanceAlgoOrder,
  binanceId,
  binanceOrder,
  binancePositionRisk,
  error,
  perp,
} from './binance-shapes.js';
import type { EmuEngine } from './engine.js';
import { type EmuRequest, type EmuResponse, num, ok, str, tifFrom } from './types.js';

export function binanceTrading(req: EmuRequest, engine: EmuEngine): EmuResponse | null {
  const p = req.params;
  const render = (o: Parameters<typeof binanceOrder>[0]) => binanceOrder(o, engine.market(o.symbol));
  switch (`${req.method} ${req.path}`) {
    case 'GET /fapi/v3/account':
      return ok(binanceAccount(engine));
    case 'GET /fapi/v1/leverageBracket':
      return ok(
        engine.markets
          .filter((m) => m.kind === 'perp')
          .map((m) => ({
            symbol: binanceId(m),
            notionalCoef: 1.5,
            brackets: [
              {
                bracket: 1,
                initialLeverage: m.maxLeverage,
                notionalCap: 50_000,
                notionalFloor: 0,
                maintMarginRatio: 0.004,
                cum: 0,
              },
            ],
          })),
      );
    case 'GET /fapi/v3/positionRisk':
      return ok(engine.positions().map((x) => binancePositionRisk(engine, x, engine.market(x.symbol))));
    case 'POST /fapi/v1/order': {
      const m = perp(engine, p);
      const tif = str(p, 'timeInForce');
      const o = engine.place({
        symbol: m.symbol,
        side: str(p, 'side') === 'BUY' ? 'buy' : 'sell',
        type: str(p, 'type') === 'MARKET' ? 'market' : 'limit',
        qty: num(p, 'quantity') ?? 0,
        price: num(p, 'price') ?? null,
        tif: tifFrom(tif, 'GTX'),
        reduceOnly: str(p, 'reduceOnly') === 'true',
        clientId: str(p, 'newClientOrderId'),
      });
      return ok(render(o));
    }
    case 'PUT /fapi/v1/order': {
      perp(engine, p);
      return ok(
        render(
          engine.amend(engine.find(str(p, 'orderId'), str(p, 'origClientOrderId')).id, {
            qty: num(p, 'quantity'),
            price: num(p, 'price'),
          }),
        ),
      );
    }
    case 'DELETE /fapi/v1/order': {
      perp(engine, p);
      const o = engine.find(str(p, 'orderId'), str(p, 'origClientOrderId'));
      try {
        return ok(render(engine.cancel(o.id)));
      } catch {
        return error(-2011, 'Unknown order sent.');
      }
    }
    case 'DELETE /fapi/v1/allOpenOrders':
      engine.cancelAll(perp(engine, p).symbol);
      return ok({ code: 200, msg: 'The operation of cancel all open order is done.' });
    case 'GET /fapi/v1/order':
      perp(engine, p);
      return ok(render(engine.find(str(p, 'orderId'), str(p, 'origClientOrderId'))));
    case 'GET /fapi/v1/openOrders': {
      const only = str(p, 'symbol') === undefined ? undefined : perp(engine, p).symbol;
      return ok(engine.openOrders(only).reverse().map(render));
    }
    case 'GET /fapi/v1/allOrders':
      return ok(
        engine
          .allOrders(perp(engine, p).symbol)
          .slice(0, num(p, 'limit') ?? 500)
          .reverse()
          .map(render),
      );
    case 'POST /fapi/v1/leverage': {
      const m = perp(engine, p);
      engine.setLeverage(m.symbol, num(p, 'leverage') ?? 0);
      return ok({ leverage: num(p, 'leverage'), maxNotionalValue: '1000000', symbol: binanceId(m) });
    }
    case 'POST /fapi/v1/algoOrder': {
      const m = perp(engine, p);
      const type = str(p, 'type') ?? '';
      const side = str(p, 'side') === 'BUY' ? 'buy' : 'sell';
      const closes = str(p, 'closePosition') === 'true';
      const open = engine
        .liveStops(m.symbol)
        .find((s) => s.side === side && s.qty === null && s.kind === (type.startsWith('TAKE') ? 'tp' : 'sl'));
      if (closes && open)
        return error(
          -4130,
          'An open stop or take profit order with GTE and closePosition in the direction is existing.',
        );
      const s = engine.addStop({
        symbol: m.symbol,
        kind: type.startsWith('TAKE_PROFIT') ? 'tp' : 'sl',
        trigger: num(p, 'triggerPrice') ?? 0,
        side,
        qty: closes ? null : (num(p, 'quantity') ?? null),
        clientId: str(p, 'clientAlgoId'),
      });
      return ok(binanceAlgoOrder(s, m));
    }
    case 'GET /fapi/v1/openAlgoOrders': {
      const only = str(p, 'symbol') === undefined ? undefined : perp(engine, p).symbol;
      return ok(engine.liveStops(only).map((s) => binanceAlgoOrder(s, engine.market(s.symbol))));
    }
    case 'DELETE /fapi/v1/algoOrder': {
      const s = engine.cancelStop(str(p, 'algoId') ?? '');
      return ok({ algoId: Number(s.id), clientAlgoId: s.clientId, code: '200', msg: 'success' });
    }
    case 'GET /sapi/v1/account/apiRestrictions':
      return ok({
        ipRestrict: false,
        createTime: 1700000000000,
        enableReading: true,
        enableWithdrawals: false,
        enableInternalTransfer: false,
        enableMargin: false,
        enableFutures: true,
        permitsUniversalTransfer: false,
        enableVanillaOptions: false,
        enableSpotAndMarginTrading: true,
        enablePortfolioMarginTrading: false,
      });
    default:
      return null;
  }
}
