import { venueContract } from '../contract/venue-contract.js';
import { FED_YES, FED_YES_TOKEN, pmRig } from './polymarket-rig.js';

// The Polymarket adapter passes the same Venue contract as the paper exchange and the ccxt venues, against the CLOB
// emulator: 10 shares of a YES token quoted around 0.50 on a 0.01 tick; each step moves the book down one tick, so a
// resting buy just below the market fills as maker within a few steps.
venueContract('polymarket-emulator', async () => {
  const r = await pmRig();
  return {
    venue: r.venue,
    accountId: 'acct-1',
    advance: async () => {
      const t = r.emu.engine.tokens.get(FED_YES_TOKEN)!;
      r.emu.engine.setMid(FED_YES_TOKEN, t.mid - t.tickSize);
    },
    cleanup: r.close,
    symbol: FED_YES,
    quantity: 10,
    maxSteps: 10,
  };
});
