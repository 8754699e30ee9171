import { venueContract } from '../contract/venue-contract.js';
import { BTC_PERP, rig, VENUES } from './harness.js';

// Every live venue adapter passes the same Venue contract as the paper exchange, against its emulator.
for (const name of VENUES) {
  venueContract(`${name}-emulator`, async () => {
    const r = await rig(name);
    return {
      venue: r.venue,
      accountId: 'acct-1',
      // The market ticks down 5 USDT per step, so a resting buy just below it fills within a few steps.
      advance: async () => r.emu.setPrice(BTC_PERP, r.emu.engine.price(BTC_PERP) - 5),
      cleanup: r.close,
      symbol: BTC_PERP,
      quantity: 0.01,
      maxSteps: 50,
    };
  });
}
