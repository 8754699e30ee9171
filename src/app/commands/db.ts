import type { Command } from 'commander';
import { printJson } from '../output.js';
import { loadSettings } from '../settings.js';

export function registerDb(program: Command): void {
  const d = program.command('db').description('the store');
  d.command('migrate')
    .description('apply schema migrations to ARBITER_DATABASE_URL (PostgreSQL; they also run on start-up)')
    .action(async () => {
      const settings = loadSettings();
      if (!settings.databaseUrl) {
        printJson({ store: 'sqlite', note: 'the embedded SQLite store migrates itself on open' });
        return;
      }
      const { migratePostgres } = await import('../../adapters/store/postgres-store.js');
      printJson({ store: 'postgres', ...(await migratePostgres(settings.databaseUrl)) });
    });
}
