import type { Command } from 'commander';
import { printJson } from '../output.js';
import { loadSettings } from '../settings.js';

export function registerVenues(program: Command): void {
  const v = program.command('venues').description('live venues through ccxt');
  v.command('check')
    .description('which credentials are present (env or secrets file) and what they allow — never prints a secret')
    .option('--venue <id...>', 'venues to check (default: bybit, binance, okx, bitget, hyperliquid)')
    .option('--mode <mode>', 'testnet, demo or live endpoints (default ARBITER_VENUE_MODE or testnet)')
    .action(async (o) => {
      const { checkVenueCredentials, PROFILED_VENUES } = await import('../../adapters/venues/ccxt/index.js');
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
