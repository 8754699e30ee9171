import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { nodeEd25519Verify } from '../../adapters/crypto/node-signer.js';
import type { ChainCheckpoint } from '../../core/ledger/chain.js';
import { maskedRecord } from '../../core/ledger/mask.js';
import { printJson } from '../output.js';
import { withContext } from '../run.js';

export function registerLedger(program: Command): void {
  const l = program.command('ledger').description('the hash-chained, signed ledger of every verdict');
  l.command('verify')
    .description('check the whole chain and every signed checkpoint; exit 1 on any tampering')
    .action(async () => {
      await withContext({}, async (app) => {
        const file = app.layout.checkpointFile();
        const extra: ChainCheckpoint[] = existsSync(file)
          ? [JSON.parse(readFileSync(file, 'utf8')) as ChainCheckpoint]
          : [];
        const signer = app.deps.signer;
        const report = await app.ledger.verify(signer.publicKey, signer.keyId, nodeEd25519Verify, extra);
        printJson(report);
        if (!report.ok) process.exitCode = 1;
        else await app.ledger.checkpoint();
      });
    });
  l.command('export')
    .description(
      'write the ledger as JSONL (one record per line) to a file or stdout; credential-shaped text is masked (redacted: true)',
    )
    .option('--out <file>', 'output file (default stdout)')
    .action(async (o) => {
      await withContext({}, async (app) => {
        const lines: string[] = [];
        for await (const r of app.ledger.records()) lines.push(JSON.stringify(maskedRecord(r)));
        const text = lines.length ? `${lines.join('\n')}\n` : '';
        if (o.out) {
          writeFileSync(o.out, text);
          process.stderr.write(`${lines.length} records written to ${o.out}\n`);
        } else process.stdout.write(text);
      });
    });
  l.command('checkpoint')
    .description('sign the current head now')
    .action(async () => {
      await withContext({}, async (app) => printJson(await app.ledger.checkpoint()));
    });
}
