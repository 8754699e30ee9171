import type { Command } from 'commander';
import { checkVenueCredentials, PROFILED_VENUES } from '../../adapters/venues/ccxt/index.js';
import { printJson } from '../output.js';
import { loadSettings } from '../settings.js';

export function registerVenues(program: Command): void {
  const v = program.command('venues').description('live venues through ccxt');
  v.command('check')
    .description('which credentials are present (env or secrets file) and what they allow — never prints a secret')
    .option('--venue <id...>', `venues to check (default: ${PROFILED_VENUES.join(', ')})`)
    .option('--mode <mode>', 'testnet, demo or live endpoints (default ARBITER_VENUE_MODE or testnet)')
    .action(async (o) => {
      const settings = loadSettings();
      const venues: string[] = o.venue ?? [...PROFILED_VENUES];
      const baseUrls = settings.venueUrl
        ? Object.fromEntries(venues.map((x) => [x, settings.venueUrl as string]))
        : undefined;
      const report = await checkVenueCredentials(process.env, settings.secretsFile ?? undefined, {
        venues,
        mode: o.mode ?? settings.venueMode,
        ...(baseUrls ? { baseUrls } : {}),
      });
      printJson({ venues: report });
    });
}
