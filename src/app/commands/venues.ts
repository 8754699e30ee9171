import type { Command } from 'commander';
import { printJson } from '../output.js';
import { loadSettings } from '../settings.js';

export function registerVenues(program: Command): void {
  const v = program.command('venues').description('live venues: ccxt venues and Polymarket');
  v.command('check')
    .description('which credentials are present (env or secrets file) and what they allow — never prints a secret')
    .option('--venue <id...>', 'venues to check (default: bybit, binance, okx, bitget, hyperliquid; or polymarket)')
    .option('--mode <mode>', 'testnet, demo or live endpoints (default ARBITER_VENUE_MODE or testnet)')
    .action(async (o) => {
      const settings = loadSettings();
      const mode: 'live' | 'testnet' | 'demo' = o.mode ?? settings.venueMode;
      if (!['live', 'testnet', 'demo'].includes(mode))
        throw new Error(`--mode must be testnet, demo or live; got ${JSON.stringify(String(mode).slice(0, 32))}`);
      const { PROFILED_VENUES } = await import('../../adapters/venues/ccxt/index.js');
      const venues: string[] = o.venue ?? [...PROFILED_VENUES];
      const ccxtVenues = venues.filter((x) => x !== 'polymarket');
      const reports: unknown[] = [];
      if (ccxtVenues.length > 0) {
        const { checkVenueCredentials } = await import('../../adapters/venues/ccxt/index.js');
        const baseUrls = settings.venueUrl
          ? Object.fromEntries(ccxtVenues.map((x) => [x, settings.venueUrl as string]))
          : undefined;
        reports.push(
          ...(await checkVenueCredentials(process.env, settings.secretsFile ?? undefined, {
            venues: ccxtVenues,
            mode,
            ...(baseUrls ? { baseUrls } : {}),
          })),
        );
      }
      if (venues.includes('polymarket')) {
        const { checkPolymarketCredentials } = await import('../../adapters/venues/polymarket/index.js');
        reports.push(
          await checkPolymarketCredentials(process.env, settings.secretsFile ?? undefined, {
            mode: mode === 'live' ? 'live' : 'testnet',
            ...(settings.venueUrl ? { baseUrl: settings.venueUrl } : {}),
          }),
        );
      }
      printJson({ venues: reports });
    });
}
