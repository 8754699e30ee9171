import { describe, expect, it } from 'vitest';
import { outcomeInstrument } from '../prediction/types.js';
import { validateRequest } from './validate.js';

describe('validateRequest', () => {
  it('refuses an outcome token of a prediction market, naming what this exchange trades', () => {
    const inst = outcomeInstrument('FED-CUT-DEC', 'YES');
    const r = validateRequest(
      {
        clientOrderId: 'c1',
        symbol: inst.symbol,
        side: 'buy',
        type: 'market',
        quantity: 10,
        limitPrice: null,
        timeInForce: 'IOC',
        reduceOnly: false,
        leverage: null,
      },
      inst,
      0.4,
    );
    expect(r).toEqual({
      code: 'INVALID_ORDER',
      message:
        'FED-CUT-DEC-YES/USDC is a prediction-market outcome token: this exchange trades spot and perpetuals only',
    });
  });
});
