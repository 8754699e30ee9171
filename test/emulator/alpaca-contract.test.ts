import { venueContract } from '../contract/venue-contract.js';
import { alpacaRig } from './alpaca-rig.js';

const AAPL = 'AAPL/USD';

// The same Venue contract as every venue, on a US stock at the Alpaca emulator, during the regular session (the
// emulator and the adapter read one clock, which each step moves on by a second).
venueContract('alpaca-emulator stock (AAPL)', async () => {
  const r = await alpacaRig({ cash: 2_500 });
  return {
    venue: r.venue,
    accountId: 'acct-1',
    advance: async () => {
      r.clock.t += 1_000;
      r.emu.setPrice('AAPL', r.emu.engine.price('AAPL') - 0.05);
    },
    cleanup: r.close,
    symbol: AAPL,
    quantity: 0.5,
    maxSteps: 50,
  };
});
