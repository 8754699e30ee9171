import { VenueError } from '../../../ports/venue.js';
import type { CcxtClient } from './client.js';
import type { CcxtMarket, CcxtPosition } from './schemas.js';
import { type StopKind, type StopLevels, stopOrderDialect } from './stop-orders.js';

export interface StopChange {
  readonly takeProfit?: number | null;
  readonly stopLoss?: number | null;
}

/** Bybit: TP/SL live on the position (`/v5/position/trading-stop`); "0" clears a level. */
export async function setPositionStops(client: CcxtClient, market: CcxtMarket, stops: StopChange): Promise<void> {
  const params: Record<string, unknown> = { category: 'linear', symbol: market.id, tpslMode: 'Full', positionIdx: 0 };
  const level = (v: number | null) => (v === null ? '0' : client.priceToPrecision(market.symbol, v));
  if (stops.takeProfit !== undefined) params.takeProfit = level(stops.takeProfit);
  if (stops.stopLoss !== undefined) params.stopLoss = level(stops.stopLoss);
  if (stops.takeProfit === undefined && stops.stopLoss === undefined) return;
  await client.implicit('privatePostV5PositionTradingStop', params);
}

/**
 * Other venues: TP/SL are conditional close orders. Reads the open ones, cancels those whose level changes (an OKX
 * `oco` carries both, so the untouched level is re-placed with it) and places the new levels. `undefined` keeps a
 * level, `null` removes it.
 */
export async function setConditionalStops(
  client: CcxtClient,
  market: CcxtMarket,
  position: CcxtPosition | null,
  stops: StopChange,
): Promise<void> {
  const dialect = stopOrderDialect(client.id);
  const open = await client.fetchOpenOrders(market.symbol, undefined, dialect.listParams);
  const existing = open
    .map((o) => ({ id: o.id, levels: dialect.levels(o) }))
    .filter((e) => e.levels.tp !== undefined || e.levels.sl !== undefined);
  const current: StopLevels = {
    tp: existing.find((e) => e.levels.tp !== undefined)?.levels.tp ?? null,
    sl: existing.find((e) => e.levels.sl !== undefined)?.levels.sl ?? null,
  };
  const requested: Record<StopKind, number | null | undefined> = { tp: stops.takeProfit, sl: stops.stopLoss };
  const changes = (k: StopKind) => requested[k] !== undefined && requested[k] !== current[k];
  const cancelled = existing.filter(
    (e) => (e.levels.tp !== undefined && changes('tp')) || (e.levels.sl !== undefined && changes('sl')),
  );
  if (!changes('tp') && !changes('sl')) return;
  for (const c of cancelled) await client.cancelOrder(c.id, market.symbol, dialect.cancelParams);
  const desired = (k: StopKind) => (requested[k] === undefined ? current[k] : requested[k]);
  const touched = (k: StopKind) => changes(k) || cancelled.some((c) => c.levels[k] !== undefined);
  const levels = {
    ...(touched('tp') && desired('tp') !== null ? { tp: desired('tp') } : {}),
    ...(touched('sl') && desired('sl') !== null ? { sl: desired('sl') } : {}),
  };
  if (levels.tp === undefined && levels.sl === undefined) return;
  if (!position?.side || !position.contracts) {
    throw new VenueError('INVALID_ORDER', `no open position on ${market.symbol} to attach take-profit / stop-loss to`);
  }
  const closeSide = position.side === 'long' ? 'sell' : 'buy';
  for (const p of dialect.place(levels, position.contracts)) {
    await client.createOrder(market.symbol, 'market', closeSide, p.amount, undefined, p.params);
  }
}
