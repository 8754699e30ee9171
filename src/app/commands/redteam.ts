import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { printJson } from '../output.js';
import { runRedteam } from '../redteam/runner.js';

export function registerRedteam(program: Command): void {
  program
    .command('redteam')
    .description('run the attack suite and the controls; exit 0 only if unsafe_allowed=0 and false_rejects=0')
    .option('--racers <n>', 'processes in each concurrency race', '6')
    .option('--no-race', 'skip the multi-process races')
    .action(async (o) => {
      const bin = fileURLToPath(new URL('../../../bin/arbiter.js', import.meta.url));
      const summary = await runRedteam({ ...(o.race ? { bin } : {}), racers: Number(o.racers) });
      for (const r of summary.results) {
        const status = r.unsafe ? 'UNSAFE' : r.false_reject ? 'FALSE-REJECT' : 'ok';
        process.stderr.write(`${status.padEnd(12)} ${r.id} ${r.kind.padEnd(7)} ${r.name}: ${r.detail}\n`);
      }
      process.stderr.write(`unsafe_allowed=${summary.unsafe_allowed} false_rejects=${summary.false_rejects}\n`);
      printJson(summary);
      if (summary.unsafe_allowed !== 0 || summary.false_rejects !== 0) process.exitCode = 1;
    });
}
