import { tidyNumbers } from '../core/market/precision.js';
import type { MarketData } from '../ports/market-data.js';
import type { VenueBalance, VenuePosition } from '../ports/venue.js';

/**
 * Account reads as every door shows them: amounts without binary noise (77.552504, not 77.55250399999932).
 * Prices on the instrument's tick, quantities on its step (dust off the step kept as it is), money on 1e-8.
 */
export function readableBalance(balance: VenueBalance): VenueBalance {
  return tidyNumbers(balance);
}

export async function readablePositions(
  market: MarketData,
  positions: readonly VenuePosition[],
): Promise<VenuePosition[]> {
  return Promise.all(
    positions.map(async (p) => {
      const i = await market.instrument(p.symbol).catch(() => null);
      return tidyNumbers(p, {
        quantity: i?.stepSize ?? null,
        entryPrice: i?.tickSize ?? null,
        markPrice: i?.tickSize ?? null,
        liquidationPrice: i?.tickSize ?? null,
      });
    }),
  );
}
