import { ceilToStep, floorToStep } from '../market/precision.js';
import type { Instrument } from '../market/types.js';
import type { EngineError, OrderRequest } from './types.js';

const SIDES = ['buy', 'sell'];
const TYPES = ['market', 'limit'];
const TIFS = ['GTC', 'IOC', 'FOK', 'PO'];

export function invalid(message: string): EngineError {
  return { code: 'INVALID_ORDER', message };
}

/** Quantity on the lot grid (rounded down: rounding only ever makes an order smaller). */
export function normaliseQuantity(quantity: number, inst: Instrument): number | EngineError {
  if (!Number.isFinite(quantity) || quantity <= 0)
    return invalid(`quantity must be a positive number, got ${quantity}`);
  const q = floorToStep(quantity, inst.stepSize);
  if (q < inst.minQty) return invalid(`quantity ${quantity} is below the minimum ${inst.minQty} for ${inst.symbol}`);
  return q;
}

/** Limit price on the tick grid, rounded away from the market (a buy down, a sell up). */
export function normaliseLimit(price: number, side: 'buy' | 'sell', inst: Instrument): number | EngineError {
  if (!Number.isFinite(price) || price <= 0) return invalid(`limit price must be a positive number, got ${price}`);
  const p = side === 'buy' ? floorToStep(price, inst.tickSize) : ceilToStep(price, inst.tickSize);
  return p > 0 ? p : invalid(`limit price ${price} is below one tick (${inst.tickSize})`);
}

/**
 * A reduce-only order for exactly the position held (`held`: signed base quantity). It is taken as it is: rounding
 * it down to the lot step, or holding it to the minimum, would leave dust that could never be closed.
 */
export function closesPosition(req: OrderRequest, held: number): boolean {
  const opposite = (req.side === 'sell' && held > 0) || (req.side === 'buy' && held < 0);
  return req.reduceOnly && opposite && req.quantity === Math.abs(held);
}

/**
 * Checks a request against the instrument; returns it with quantity and price on the venue's grid (an order that
 * closes the whole position keeps its quantity).
 */
export function validateRequest(
  req: OrderRequest,
  inst: Instrument,
  refPrice: number,
  held = 0,
): OrderRequest | EngineError {
  // Outcome tokens settle at 1 or 0 and never go short: the prediction exchange (core/prediction) trades them.
  if (inst.kind === 'prediction')
    return invalid(
      `${inst.symbol} is a prediction-market outcome token: this exchange trades spot and perpetuals only`,
    );
  if (typeof req.clientOrderId !== 'string' || req.clientOrderId.length === 0 || req.clientOrderId.length > 128) {
    return invalid('clientOrderId must be a non-empty string of at most 128 characters');
  }
  if (!SIDES.includes(req.side)) return invalid(`unknown side ${String(req.side)}`);
  if (!TYPES.includes(req.type)) return invalid(`unknown order type ${String(req.type)}`);
  if (!TIFS.includes(req.timeInForce)) return invalid(`unknown time in force ${String(req.timeInForce)}`);
  if (req.type === 'market' && req.timeInForce === 'PO') return invalid('a market order cannot be post-only');
  const quantity = closesPosition(req, held) ? req.quantity : normaliseQuantity(req.quantity, inst);
  if (typeof quantity !== 'number') return quantity;
  let limitPrice: number | null = null;
  if (req.type === 'limit') {
    if (req.limitPrice === null) return invalid('a limit order needs a limit price');
    const p = normaliseLimit(req.limitPrice, req.side, inst);
    if (typeof p !== 'number') return p;
    limitPrice = p;
  }
  if (!req.reduceOnly && quantity * (limitPrice ?? refPrice) < inst.minNotional) {
    return invalid(`notional ${quantity * (limitPrice ?? refPrice)} is below the minimum ${inst.minNotional}`);
  }
  if (req.leverage !== null) {
    const max = inst.kind === 'spot' ? 1 : inst.maxLeverage;
    if (!Number.isFinite(req.leverage) || req.leverage < 1 || req.leverage > max) {
      return invalid(`leverage ${req.leverage} is outside 1..${max} for ${inst.symbol}`);
    }
  }
  return { ...req, quantity, limitPrice };
}
