import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import ccxt from 'ccxt';

/**
 * Hyperliquid's wallet signatures, verified as the venue does: an L1 action (order, cancel, modify, leverage) is
 * msgpack-encoded, followed by the nonce (8 bytes big-endian) and a vault flag (0x00, or 0x01 + the vault's
 * 20-byte address); its keccak-256 is the `connectionId` of a "phantom agent" `{source: 'a' mainnet | 'b'
 * testnet, connectionId}` signed as EIP-712 typed data `Agent(string source,bytes32 connectionId)` under the
 * domain `Exchange`, version 1, chain id 1337, verifying contract 0x0. The venue recovers the signer's address from
 * `{r, s, v}` and trades for that wallet. Only the msgpack encoding comes from ccxt (the client's own encoder); the
 * typed-data hash and the recovery are done here, from the EIP-712 rules, with the curves ccxt itself depends on.
 */

const packb: (value: unknown) => Uint8Array = new ccxt.hyperliquid().packb;

export interface WalletSignature {
  readonly r: string;
  readonly s: string;
  readonly v: number;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

function word(n: bigint): Uint8Array {
  return hex(n.toString(16).padStart(64, '0'));
}

function u64(n: number): Uint8Array {
  return hex(BigInt(n).toString(16).padStart(16, '0'));
}

const DOMAIN_TYPE = keccak_256(
  text('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
);
const AGENT_TYPE = keccak_256(text('Agent(string source,bytes32 connectionId)'));
const DOMAIN_SEPARATOR = keccak_256(
  concat(DOMAIN_TYPE, keccak_256(text('Exchange')), keccak_256(text('1')), word(1337n), word(0n)),
);

/** keccak-256 of msgpack(action) ‖ nonce ‖ vault flag: the phantom agent's connectionId. */
export function actionHash(action: unknown, nonce: number, vaultAddress?: string): Uint8Array {
  const vault = vaultAddress === undefined ? Uint8Array.of(0) : concat(Uint8Array.of(1), hex(vaultAddress));
  return keccak_256(concat(packb(action), u64(nonce), vault));
}

/** The EIP-712 digest the wallet signs for an L1 action. */
export function l1Digest(action: unknown, nonce: number, testnet: boolean, vaultAddress?: string): Uint8Array {
  const struct = keccak_256(
    concat(AGENT_TYPE, keccak_256(text(testnet ? 'b' : 'a')), actionHash(action, nonce, vaultAddress)),
  );
  return keccak_256(concat(Uint8Array.of(0x19, 0x01), DOMAIN_SEPARATOR, struct));
}

/** The lower-case 0x address whose key produced `sig` over `digest`, or null for a malformed signature. */
export function recoverAddress(digest: Uint8Array, sig: WalletSignature): string | null {
  try {
    if (sig.v !== 27 && sig.v !== 28) return null;
    const rs = hex(`${sig.r.replace(/^0x/, '').padStart(64, '0')}${sig.s.replace(/^0x/, '').padStart(64, '0')}`);
    if (rs.length !== 64) return null;
    const pub = secp256k1.recoverPublicKey(concat(Uint8Array.of(sig.v - 27), rs), digest, { prehash: false });
    const full = secp256k1.Point.fromBytes(pub).toBytes(false);
    return `0x${Buffer.from(keccak_256(full.subarray(1)).subarray(12)).toString('hex')}`;
  } catch {
    return null;
  }
}

/** The address of a private key (0x-hex), as a wallet shows it (lower case). */
export function addressOf(privateKey: string): string {
  const full = secp256k1.getPublicKey(hex(privateKey), false);
  return `0x${Buffer.from(keccak_256(full.subarray(1)).subarray(12)).toString('hex')}`;
}

/** Who signed an L1 action request body `{action, nonce, signature, vaultAddress?}`; null when unreadable. */
export function l1Signer(
  body: {
    readonly action: unknown;
    readonly nonce: number;
    readonly signature: WalletSignature;
    readonly vaultAddress?: string;
  },
  testnet: boolean,
): string | null {
  return recoverAddress(l1Digest(body.action, body.nonce, testnet, body.vaultAddress), body.signature);
}
