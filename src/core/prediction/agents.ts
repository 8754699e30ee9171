import type { PredictionAgent, PredictionIntent } from './arena.js';

/** Buys the side its private estimate says is cheap by more than `edge`; sells what it holds once the edge is gone. */
export function informedAgent(id = 'informed', edge = 0.05, stake = 100): PredictionAgent {
  return {
    id,
    informed: true,
    decide(o): PredictionIntent | null {
      const p = o.signal;
      if (p === null) return null;
      const price = o.prices[o.prices.length - 1]!;
      if (o.held.YES > 0 && p < price)
        return {
          outcome: 'YES',
          side: 'sell',
          quantity: o.held.YES,
          reduceOnly: true,
          probability: p,
          reason: `estimate ${p.toFixed(2)} below price`,
        };
      if (o.held.NO > 0 && p > price)
        return {
          outcome: 'NO',
          side: 'sell',
          quantity: o.held.NO,
          reduceOnly: true,
          probability: p,
          reason: `estimate ${p.toFixed(2)} above price`,
        };
      if (p > price + edge)
        return {
          outcome: 'YES',
          side: 'buy',
          notional: stake,
          probability: p,
          reason: `YES cheap: ${price} < ${p.toFixed(2)}`,
        };
      if (p < price - edge)
        return {
          outcome: 'NO',
          side: 'buy',
          notional: stake,
          probability: p,
          reason: `NO cheap: ${price} > ${p.toFixed(2)}`,
        };
      return null;
    },
  };
}

/** Follows the last `lookback` steps' move: a rise says YES, a fall says NO; it believes the move goes on. */
export function momentumAgent(id = 'momentum', lookback = 10, stake = 100): PredictionAgent {
  return {
    id,
    decide(o): PredictionIntent | null {
      if (o.prices.length <= lookback || o.step % lookback !== 0) return null;
      const now = o.prices[o.prices.length - 1]!;
      const move = now - o.prices[o.prices.length - 1 - lookback]!;
      if (Math.abs(move) < 0.03) return null;
      const p = Math.min(0.99, Math.max(0.01, now + move));
      return move > 0
        ? { outcome: 'YES', side: 'buy', notional: stake, probability: p, reason: `rose ${move.toFixed(2)}` }
        : { outcome: 'NO', side: 'buy', notional: stake, probability: p, reason: `fell ${(-move).toFixed(2)}` };
    },
  };
}

/** Backs the favourite above `threshold` once per market and holds to resolution, trusting the price plus a margin. */
export function favouriteAgent(id = 'favourite', threshold = 0.75, stake = 200): PredictionAgent {
  return {
    id,
    decide(o): PredictionIntent | null {
      if (o.held.YES > 0 || o.held.NO > 0) return null;
      const price = o.prices[o.prices.length - 1]!;
      if (price >= threshold)
        return {
          outcome: 'YES',
          side: 'buy',
          notional: stake,
          probability: Math.min(0.99, price + 0.05),
          reason: 'favourite YES',
        };
      if (price <= 1 - threshold)
        return {
          outcome: 'NO',
          side: 'buy',
          notional: stake,
          probability: Math.max(0.01, price - 0.05),
          reason: 'favourite NO',
        };
      return null;
    },
  };
}

export function builtInPredictionAgents(): PredictionAgent[] {
  return [informedAgent(), momentumAgent(), favouriteAgent()];
}
