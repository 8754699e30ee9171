import type { VenueBalance } from '../../../../ports/venue.js';
import type { AlpacaAccount } from './schemas.js';

/**
 * An Alpaca account as Arbiter's balance: equity = Alpaca's account equity (cash + the positions' market value);
 * total = equity less the positions' unrealised P&L (cash + what the positions cost); free = cash the account can
 * still buy with (the lower of cash and buying power, never below 0 nor above total), so margin buying power
 * never shows as free cash; used = the rest.
 */
export function toVenueBalance(a: AlpacaAccount, unrealizedPnl: number): VenueBalance {
  const total = a.equity - unrealizedPnl;
  const free = Math.min(Math.max(0, Math.min(a.cash, a.buying_power)), Math.max(0, total));
  return { currency: a.currency, total, free, used: total - free, equity: a.equity };
}
