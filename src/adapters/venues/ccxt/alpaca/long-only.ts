/** Quantities closer than this to a whole number are whole (Alpaca counts shares to 9 decimals). */
export const SHARE_EPSILON = 1e-9;

export type LongOnlyQuantity =
  | { readonly ok: true; readonly quantity: number }
  | { readonly ok: false; readonly message: string };

/**
 * What may be sent when Arbiter trades a stock long only: a buy as asked (a reduce-only buy has no short to
 * reduce); a sell no larger than the shares held; a reduce-only sell cut to the shares held. `held` is the long
 * position (0 when flat).
 */
export function longOnlyQuantity(
  symbol: string,
  side: 'buy' | 'sell',
  reduceOnly: boolean,
  quantity: number,
  held: number,
): LongOnlyQuantity {
  const long = Math.max(0, held);
  if (side === 'buy')
    return reduceOnly
      ? { ok: false, message: `a reduce-only buy has no short ${symbol} to reduce` }
      : { ok: true, quantity };
  if (reduceOnly)
    return long > 0
      ? { ok: true, quantity: Math.min(quantity, long) }
      : { ok: false, message: `a reduce-only sell has no ${symbol} shares to reduce` };
  // Within a rounding error of the shares held sells them all; with none held there is nothing to send.
  if (quantity > long + SHARE_EPSILON || long <= 0)
    return {
      ok: false,
      message: `selling ${quantity} ${symbol} would go short (${long} held); Arbiter trades alpaca stocks long only`,
    };
  return { ok: true, quantity: Math.min(quantity, long) };
}
