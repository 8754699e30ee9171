import { randomBytes } from 'node:crypto';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { addressOf, l1Signer, type WalletSignature } from './hyperliquid-signing.js';

/** ccxt's Hyperliquid client signs; the emulator's verifier must recover exactly the signing wallet. */
function client(testnet: boolean): { ex: InstanceType<typeof ccxt.hyperliquid>; wallet: string } {
  const privateKey = `0x${randomBytes(32).toString('hex')}`;
  const wallet = addressOf(privateKey);
  const ex = new ccxt.hyperliquid({ walletAddress: wallet, privateKey });
  ex.setSandboxMode(testnet);
  return { ex, wallet };
}

/** Nonces are milliseconds since the epoch, as the venue requires (and ccxt's encoder assumes). */
const NONCE = 1_767_225_600_000;

const ORDER = {
  type: 'order',
  orders: [{ a: 0, b: true, p: '60000', s: '0.01', r: false, t: { limit: { tif: 'Gtc' } } }],
  grouping: 'na',
};

describe('Hyperliquid L1 action signatures (EIP-712 phantom agent), checked as the venue does', () => {
  const sign = (ex: InstanceType<typeof ccxt.hyperliquid>, action: unknown, nonce: number, vault?: string) =>
    (ex as unknown as { signL1Action(a: unknown, n: number, v?: string): WalletSignature }).signL1Action(
      action,
      nonce,
      vault,
    );

  it.each([true, false])('recovers the wallet that ccxt signed with (testnet=%s)', (testnet) => {
    const { ex, wallet } = client(testnet);
    const nonce = NONCE;
    const signature = sign(ex, ORDER, nonce);
    expect(l1Signer({ action: ORDER, nonce, signature }, testnet)).toBe(wallet);
  });

  it('binds the vault address', () => {
    const { ex, wallet } = client(true);
    const vault = `0x${randomBytes(20).toString('hex')}`;
    const signature = sign(ex, ORDER, NONCE, vault.slice(2));
    expect(l1Signer({ action: ORDER, nonce: NONCE, signature, vaultAddress: vault }, true)).toBe(wallet);
    expect(l1Signer({ action: ORDER, nonce: NONCE, signature }, true)).not.toBe(wallet);
  });

  it('attributes a tampered price, nonce or network to some other address, never the wallet', () => {
    const { ex, wallet } = client(true);
    const signature = sign(ex, ORDER, NONCE);
    const dearer = { ...ORDER, orders: [{ ...ORDER.orders[0]!, p: '61000' }] };
    expect(l1Signer({ action: dearer, nonce: NONCE, signature }, true)).not.toBe(wallet);
    expect(l1Signer({ action: ORDER, nonce: NONCE + 1, signature }, true)).not.toBe(wallet);
    expect(l1Signer({ action: ORDER, nonce: NONCE, signature }, false), 'a testnet signature on mainnet').not.toBe(
      wallet,
    );
  });

  it('answers null for a malformed signature', () => {
    expect(l1Signer({ action: ORDER, nonce: 1, signature: { r: '0x00', s: '0x00', v: 27 } }, true)).toBeNull();
    expect(l1Signer({ action: ORDER, nonce: 1, signature: { r: '0x12', s: '0x34', v: 31 } }, true)).toBeNull();
  });
});
