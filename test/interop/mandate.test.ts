import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSET_CLASSES, INSTRUMENT_TYPES } from '../../src/core/mandate/types.js';
import { cli, tempHome } from '../support/cli.js';
import { python } from './support/python.js';

/** Vibe-Trading's side: commit a mandate the way its consent commit writes one, and load it the way its gate does. */
const vt = {
  commit: (home: string, broker: string, spec: Record<string, unknown>) =>
    python('vibe_trading.py', [home, 'commit-mandate', broker], spec),
  load: (home: string, broker: string) =>
    python<{ loaded: boolean; expired: boolean | null }>('vibe_trading.py', [home, 'load-mandate', broker]),
};

const caps = (over: Record<string, unknown> = {}) => ({
  account_funding_usd: 10_000.0,
  max_order_notional_usd: 500.0,
  max_total_exposure_usd: 5_000.0,
  max_leverage: 1.0,
  allowed_instruments: ['crypto'],
  max_trades_per_day: 50,
  ...over,
});
const universe = (over: Record<string, unknown> = {}) => ({
  asset_classes: ['crypto'],
  min_market_cap_usd: null,
  min_avg_daily_volume_usd: null,
  exclude_symbols: [],
  ...over,
});

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});
function home(): string {
  const h = tempHome('arbiter-interop-mandate-');
  homes.push(h);
  return h;
}

/** Arbiter's decision on a small BTC buy, through the built CLI as a real process. */
function arbiterVet(h: string, env: NodeJS.ProcessEnv = {}, agent = 'alice') {
  const r = cli(h, ['vet', '--agent', agent, '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '50'], env);
  const v = r.out ? (JSON.parse(r.out) as { decision: string; reasons: string[]; messages: string[] }) : null;
  return { code: r.code, decision: v?.decision ?? null, reasons: v?.reasons ?? [], err: r.err, messages: v?.messages };
}

describe('a mandate committed by Vibe-Trading is read by Arbiter unchanged', () => {
  it('accepts every allowed_instruments and asset_classes value Vibe-Trading knows (forex, cfd, in_equity, …)', () => {
    const h = home();
    vt.commit(h, 'paper', {
      hard_caps: caps({ allowed_instruments: [...INSTRUMENT_TYPES] }),
      universe: universe({ asset_classes: [...ASSET_CLASSES] }),
    });
    expect(vt.load(h, 'paper'), 'Vibe-Trading itself loads this mandate').toMatchObject({
      loaded: true,
      expired: false,
    });
    const r = arbiterVet(h);
    expect(r.decision, `Arbiter must trade under it too: ${r.messages}`).toBe('ALLOW');
    expect(r.code).toBe(0);
  });

  it('keeps the rest of a mandate that names a class neither program knows yet: the unknown class allows nothing new', () => {
    const h = home();
    vt.commit(h, 'paper', {
      hard_caps: caps({ allowed_instruments: ['crypto', 'tokenized_bond'] }),
      universe: universe({ asset_classes: ['crypto', 'lunar_equity'] }),
    });
    expect(arbiterVet(h).decision, 'crypto is still allowed by the known values').toBe('ALLOW');

    const only = home();
    vt.commit(only, 'paper', {
      hard_caps: caps({ allowed_instruments: ['tokenized_bond'] }),
      universe: universe(),
    });
    const r = arbiterVet(only);
    expect(r.decision, 'an unknown class alone allows no crypto').toBe('REJECT');
    expect(r.reasons, 'refused by the universe gate, not as an invalid mandate').toEqual(['INSTRUMENT_NOT_ALLOWED']);
  });

  it('loads a mandate with empty class lists, as Vibe-Trading does, and then allows nothing', () => {
    const h = home();
    vt.commit(h, 'paper', { hard_caps: caps({ allowed_instruments: [] }), universe: universe({ asset_classes: [] }) });
    expect(vt.load(h, 'paper').loaded).toBe(true);
    expect(arbiterVet(h).reasons).toEqual(['INSTRUMENT_NOT_ALLOWED']);
  });
});

describe('consent times are read as Vibe-Trading reads them, whatever the machine time zone', () => {
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString().slice(0, 19); // UTC wall time, no zone
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
  const spellings: [string, string, 'ALLOW' | 'PAUSE_FOR_REAUTH'][] = [
    ['a zone-less time an hour ago (UTC)', hourAgo, 'PAUSE_FOR_REAUTH'],
    ['a zone-less time in an hour (UTC)', inAnHour, 'ALLOW'],
    ['"Jan 1 2030" (not ISO 8601)', 'Jan 1 2030', 'PAUSE_FOR_REAUTH'],
    ['basic format 20300101T000000Z', '20300101T000000Z', 'ALLOW'],
    ['an ISO week date 2030-W01-2', '2030-W01-2', 'ALLOW'],
    ['an offset of +05:30', '2030-01-01T00:00:00+05:30', 'ALLOW'],
    ['a 24 h offset (out of range)', '2030-01-01T00:00:00+24:00', 'PAUSE_FOR_REAUTH'],
    ['an empty string', '', 'PAUSE_FOR_REAUTH'],
  ];

  it.each(spellings)(
    '%s: both programs reach the same verdict, also with TZ=America/Los_Angeles',
    (_, expiresAt, decision) => {
      const h = home();
      vt.commit(h, 'paper', { hard_caps: caps(), universe: universe(), consent: { expires_at: expiresAt } });
      const vtView = vt.load(h, 'paper');
      expect(vtView.loaded, 'Vibe-Trading loads the mandate; the expiry is judged by its gate').toBe(true);
      expect(vtView.expired, 'the fixture says what Vibe-Trading decides').toBe(decision !== 'ALLOW');
      for (const tz of ['UTC', 'America/Los_Angeles']) {
        const r = arbiterVet(h, { TZ: tz }, `agent-${tz.replace('/', '-')}`);
        expect(r.decision, `TZ=${tz} expires_at=${JSON.stringify(expiresAt)}: ${r.messages}`).toBe(decision);
        if (decision !== 'ALLOW') expect(r.reasons).toEqual(['MANDATE_EXPIRED']);
      }
    },
  );

  it('a created_at no one can read voids the consent (fail-closed)', () => {
    const h = home();
    vt.commit(h, 'paper', { hard_caps: caps(), universe: universe(), consent: { created_at: 'yesterday' } });
    const r = arbiterVet(h);
    expect(r.decision).toBe('PAUSE_FOR_REAUTH');
    expect(r.messages?.[0]).toContain('created_at=yesterday');
  });
});
