import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  createPolymarketVenue,
  type PolymarketCredentials,
  type PolymarketVenue,
} from '../../src/adapters/venues/polymarket/index.js';
import { PM_MARKETS, PolymarketEmulator } from './polymarket.js';

export const FED = PM_MARKETS[0]!;
export const BTC150 = PM_MARKETS[1]!;
export const FED_YES = 'FED-CUT-YES/USDC';
export const FED_YES_TOKEN = FED.tokens[0]!.token_id;

export interface PmRig {
  readonly emu: PolymarketEmulator;
  readonly venue: PolymarketVenue;
  readonly credentials: PolymarketCredentials;
  readonly address: string;
  readonly indexPath: string;
  /** A second adapter on the same wallet and index file: as after a restart. */
  readonly fresh: () => PolymarketVenue;
  readonly close: () => Promise<void>;
}

/** An emulator on the Amoy chain, a new wallet funded with `usdc`, and the adapter pointed at the emulator. */
export async function pmRig(
  opts: { usdc?: number; credentials?: Partial<PolymarketCredentials>; timeoutMs?: number } = {},
): Promise<PmRig> {
  const emu = await PolymarketEmulator.start();
  const credentials: PolymarketCredentials = { privateKey: generatePrivateKey(), ...opts.credentials };
  const address = privateKeyToAccount(credentials.privateKey).address;
  emu.engine.fund(address, opts.usdc ?? 2_000);
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-pm-'));
  const indexPath = join(dir, 'orders.json');
  const make = () =>
    createPolymarketVenue(
      {
        mode: 'testnet',
        baseUrl: emu.url,
        markets: { 'FED-CUT': FED.condition_id, 'BTC-150K': BTC150.condition_id },
        orderIndexPath: indexPath,
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      },
      credentials,
    );
  return {
    emu,
    venue: make(),
    credentials,
    address,
    indexPath,
    fresh: make,
    close: async () => {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
