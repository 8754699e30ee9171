import { describe, expect, it } from 'vitest';
import type { NormalizedIntent } from '../../core/firewall/types.js';
import { venueRequest } from './forward.js';

const session = { agentId: 'a', accountId: 'acc', venue: 'paper', sessionId: 's' };
const intent = (over: Partial<NormalizedIntent> = {}): NormalizedIntent => ({
  symbol: 'SYN1-M1-YES/USDC',
  side: 'buy',
  type: 'market',
  quantity: null,
  notional: 20,
  limit_price: null,
  reduce_only: false,
  client_order_id: null,
  leverage: null,
  time_in_force: 'IOC',
  ...over,
});

describe('venueRequest', () => {
  it('sends an outcome token’s market order as an IOC limit at the price it was sized at', () => {
    expect(venueRequest(session, intent(), 40, 'c1', 0.51)).toMatchObject({
      type: 'limit',
      limitPrice: 0.51,
      timeInForce: 'IOC',
      quantity: 40,
    });
  });

  it('keeps fill-or-kill, a limit order and any order of another instrument as they were asked', () => {
    expect(venueRequest(session, intent({ time_in_force: 'FOK' }), 40, 'c2', 0.51)).toMatchObject({
      type: 'limit',
      limitPrice: 0.51,
      timeInForce: 'FOK',
    });
    const limit = intent({ type: 'limit', limit_price: 0.4, time_in_force: 'GTC' });
    expect(venueRequest(session, limit, 40, 'c3', 0.45)).toMatchObject({
      type: 'limit',
      limitPrice: 0.4,
      timeInForce: 'GTC',
    });
    expect(venueRequest(session, intent({ symbol: 'BTC/USDT' }), 0.1, 'c4')).toMatchObject({
      type: 'market',
      limitPrice: null,
      timeInForce: 'IOC',
    });
  });
});
