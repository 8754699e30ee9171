import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { nodeHasher } from '../../adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { loadMandate, writeMandate } from '../../adapters/runtime/mandate-file.js';
import { defaultMandate } from '../../core/mandate/schema.js';
import { CliError, printJson } from '../output.js';
import { loadSettings } from '../settings.js';

/**
 * Paper trading needs a mandate too (the firewall refuses everything without one). For paper only, a first
 * `serve` / `mcp` writes the conservative default so a newcomer sees trading; live mode never does this.
 */
export function ensurePaperMandate(home: string, venue: string, broker = venue): boolean {
  const layout = new RuntimeLayout(home);
  if (venue !== 'paper' || existsSync(layout.mandate(broker))) return false;
  const token = `consent_${randomBytes(18).toString('base64url')}`;
  const path = writeMandate(layout, defaultMandate(new Date(), nodeHasher.sha256Hex(token), broker));
  process.stderr.write(`arbiter: no paper mandate yet; wrote the conservative default to ${path}\n`);
  return true;
}

export function registerMandate(program: Command): void {
  const m = program.command('mandate').description('read and write the Vibe-Trading mandate of a broker');
  m.command('init')
    .description('write a conservative default mandate (paper broker, small caps, 1x leverage, 30-day consent)')
    .option('--broker <name>', 'broker / venue the mandate is for', 'paper')
    .option('--force', 'overwrite an existing mandate')
    .action((o) => {
      const settings = loadSettings();
      const layout = new RuntimeLayout(settings.home);
      const path = layout.mandate(o.broker);
      if (existsSync(path) && !o.force)
        throw new CliError('MANDATE_EXISTS', `${path} exists; pass --force to replace it`);
      // The consent token is the human's receipt: shown once, only its hash is stored.
      const token = `consent_${randomBytes(18).toString('base64url')}`;
      const mandate = defaultMandate(new Date(), nodeHasher.sha256Hex(token), RuntimeLayout.broker(o.broker));
      const written = writeMandate(layout, mandate);
      process.stderr.write(`mandate written to ${written}\nconsent token (shown once; keep it): ${token}\n`);
      printJson({ path: written, mandate });
    });
  m.command('show')
    .description('print the mandate the firewall enforces for a broker, or why it refuses everything')
    .option('--broker <name>', 'broker / venue', 'paper')
    .action((o) => {
      const layout = new RuntimeLayout(loadSettings().home);
      const load = loadMandate(layout, o.broker);
      printJson(load.ok ? { ok: true, path: layout.mandate(o.broker), mandate: load.mandate } : load);
      if (!load.ok) process.exitCode = 3;
    });
}
