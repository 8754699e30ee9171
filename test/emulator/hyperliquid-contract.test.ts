import { venueContract } from '../contract/venue-contract.js';
import { HL_BTC, hyperliquidRig } from './hyperliquid-harness.js';

// The Hyperliquid adapter passes the same Venue contract as the paper exchange, against the emulator that checks
// every /exchange request's wallet signature and nonce.
venueContract('hyperliquid-emulator', async () => {
  const r = await hyperliquidRig();
  return {
    venue: r.venue,
    accountId: 'acct-1',
    // The market ticks down 5 USDC per step, so a resting buy just below it fills within a few steps.
    advance: async () => r.emu.setPrice(HL_BTC, r.emu.engine.price(HL_BTC) - 5),
    cleanup: r.close,
    symbol: HL_BTC,
    quantity: 0.01,
    maxSteps: 50,
  };
});
