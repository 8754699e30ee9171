/** Ed25519 signing with the issuer key. The private key never leaves the adapter. */
export interface Signer {
  /** `ed25519:<first 16 hex of sha256(public key)>`. */
  readonly keyId: string;
  /** Raw 32-byte public key. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface Hasher {
  sha256Hex(data: string | Uint8Array): string;
}
