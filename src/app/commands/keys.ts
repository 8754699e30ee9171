import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { keyIdOf } from '../../adapters/crypto/node-signer.js';
import { loadSigner } from '../../adapters/runtime/keys.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { CliError, printJson } from '../output.js';
import { loadSettings } from '../settings.js';
import { verifyVerdictText } from '../verify-file.js';

/** The key to verify against: `--pubkey` (base64, or a file holding it), else this installation's issuer key. */
export function pinnedKey(option: string | undefined): { keyId: string; publicKey: Uint8Array } {
  let b64: string;
  if (option) {
    let text = option;
    try {
      text = readFileSync(option, 'utf8');
    } catch {
      // not a file: the base64 key itself
    }
    b64 = text.trim();
  } else {
    const signer = loadSigner(new RuntimeLayout(loadSettings().home));
    return { keyId: signer.keyId, publicKey: signer.publicKey };
  }
  const raw = new Uint8Array(Buffer.from(b64, 'base64'));
  if (raw.length !== 32)
    throw new CliError('BAD_PUBKEY', 'the pinned key must be a base64 raw 32-byte Ed25519 public key');
  return { keyId: keyIdOf(raw), publicKey: raw };
}

export function registerKeys(program: Command): void {
  program
    .command('pubkey')
    .description("print the issuer's public key (base64, raw 32 bytes) and key id, to pin in verifiers")
    .action(() => {
      const signer = loadSigner(new RuntimeLayout(loadSettings().home));
      printJson({ alg: 'Ed25519', key_id: signer.keyId, public_key: Buffer.from(signer.publicKey).toString('base64') });
    });

  program
    .command('verify <file>')
    .description('verify a verdict (the output of vet) or a bare certificate against the pinned issuer key')
    .option('--pubkey <key>', 'pinned issuer key: base64 or a file holding it (default: this installation’s key)')
    .option('--rederive', 're-run the firewall on the bound context and require the same verdict')
    .option('--allow-expired', 'accept a certificate past its expiry (auditing old verdicts)')
    .action(async (file: string, o) => {
      const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
      const result = await verifyVerdictText(text, pinnedKey(o.pubkey), {
        now: Date.now(),
        allowExpired: o.allowExpired === true,
        rederive: o.rederive === true,
      });
      printJson(result);
      if (!result.ok) process.exitCode = 1;
    });
}
