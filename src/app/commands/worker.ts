import type { Command } from 'commander';
import { CliError } from '../output.js';
import { loadSettings } from '../settings.js';
import { work } from '../study/queue.js';

/** `arbiter worker`: takes `arena study` runs from the PostgreSQL queue at ARBITER_DATABASE_URL until stopped. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'take `arena study` runs from the job queue at ARBITER_DATABASE_URL (pg-boss) and write their results; Ctrl-C stops',
    )
    .action(async () => {
      const url = loadSettings().databaseUrl;
      if (!url)
        throw new CliError('WORKER_NO_DATABASE', 'set ARBITER_DATABASE_URL to the PostgreSQL database of the study');
      let release = () => {};
      const stop = new Promise<void>((resolve) => {
        release = resolve;
      });
      const onSignal = () => release();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await work(url, (line) => process.stderr.write(`${line}\n`), stop);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
