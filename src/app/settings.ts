import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseMarketList } from '../adapters/venues/polymarket/config.js';
import { nameProblem } from './names.js';

export type Mode = 'readonly' | 'paper' | 'live';

export interface Settings {
  readonly home: string;
  readonly databaseUrl: string | null;
  /** The venue adapter that executes: `paper` or a ccxt exchange id (ARBITER_VENUE). */
  readonly venue: string;
  /**
   * The broker key: the runtime-root folder (`live/<broker>/`) whose mandate, counter and halt apply, and the
   * name sessions trade under (ARBITER_BROKER; default: the venue). Any broker works with any venue adapter, e.g.
   * a Vibe-Trading mandate at `live/robinhood/` traded on the paper exchange.
   */
  readonly broker: string;
  readonly account: string;
  readonly agent: string;
  readonly mode: Mode;
  /** `synthetic[:SEED]` or `csv:PATH[,PATH…]`. */
  readonly marketSource: string;
  readonly sync: 'normal' | 'full';
  /** Wall milliseconds per replayed bar in a running server (demo speed). */
  readonly barMs: number;
  readonly checkpointEvery: number;
  /** For a ccxt venue: `testnet` (default), `demo` or `live` endpoints. */
  readonly venueMode: 'testnet' | 'demo' | 'live';
  /** For a ccxt venue or Polymarket: replaces the REST origin (a local emulator, a proxy). */
  readonly venueUrl: string | null;
  /** For Polymarket (ARBITER_POLYMARKET_MARKETS): Arbiter market id → CLOB condition id. */
  readonly polymarketMarkets: Readonly<Record<string, string>>;
  readonly secretsFile: string | null;
  /** Per-agent MCP request budget, across all of the agent's sessions (separate from the firewall's order throttle). */
  readonly mcpCalls: { readonly perSecond: number; readonly perMinute: number };
  /**
   * Orders whose fate the venue has not told are looked up once untouched this long; an order is not sent later
   * than half of it after its verdict, so a venue that has never seen it by then never will.
   */
  readonly recoverAfterMs: number;
  /** Simulated round trip of every paper-exchange call (ARBITER_PAPER_LATENCY_MS, default 0). */
  readonly paperLatencyMs: number;
  /** An MCP-over-HTTP session with no request for this long is closed (its memory freed). */
  readonly mcpSessionIdleMs: number;
  /** Open MCP-over-HTTP sessions one agent may hold. */
  readonly mcpSessionsPerAgent: number;
  /**
   * Simulation only (ARBITER_CLOCK_OFFSET_MS, default 0): milliseconds added to the system clock, so a paper or
   * read-only process runs at another time (a prediction market past its resolution, a replay). Refused in live mode.
   */
  readonly clockOffsetMs: number;
}

const KNOWN = new Set([
  'ARBITER_HOME',
  'ARBITER_DATABASE_URL',
  'ARBITER_SIGNING_KEY',
  'ARBITER_VENUE',
  'ARBITER_BROKER',
  'ARBITER_ACCOUNT',
  'ARBITER_AGENT',
  'ARBITER_MODE',
  'ARBITER_MARKET',
  'ARBITER_SYNC',
  'ARBITER_BAR_MS',
  'ARBITER_CHECKPOINT_EVERY',
  'ARBITER_ADMIN_TOKEN',
  'ARBITER_LOG_LEVEL',
  'ARBITER_SECRETS_FILE',
  'ARBITER_VENUE_MODE',
  'ARBITER_VENUE_URL',
  'ARBITER_ELICIT_APPROVALS',
  'ARBITER_RECOVER_AFTER_MS',
  'ARBITER_PAPER_LATENCY_MS',
  'ARBITER_MCP_CALLS',
  'ARBITER_MCP_SESSION_IDLE_MS',
  'ARBITER_MCP_SESSIONS_PER_AGENT',
  'ARBITER_STUDY_EXPIRE_SECONDS',
  'ARBITER_CLOCK_OFFSET_MS',
  'ARBITER_POLYMARKET_MARKETS',
]);

/**
 * Venue credentials: ARBITER_<VENUE>_API_KEY / _API_SECRET / _PASSPHRASE (never logged); a wallet venue's
 * _PRIVATE_KEY / _FUNDER / _SIGNATURE_TYPE (Polymarket) and ARBITER_HYPERLIQUID_WALLET_ADDRESS / _PRIVATE_KEY.
 */
const CREDENTIAL_VAR =
  /^ARBITER_(?:[A-Z0-9]+_(?:API_KEY|API_SECRET|PASSPHRASE|MODE|PRIVATE_KEY|FUNDER|SIGNATURE_TYPE)|HYPERLIQUID_WALLET_ADDRESS)$/;

export class SettingsError extends Error {
  readonly code = 'SETTINGS_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`SETTINGS_INVALID: ${problems.join('; ')}`);
  }
}

/** The largest clock offset accepted: ten years of 365.25 days, in ms. */
const MAX_CLOCK_OFFSET_MS = 315_576_000_000;

/** A broker key as a runtime-root folder name (lower case after trimming; the same rule as RuntimeLayout.broker). */
const BROKER = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Reads every setting from the environment and validates all of them at once: one error lists every problem.
 * Unknown ARBITER_* variables are errors (a typo must not silently fall back to a default). Defaults are safe:
 * paper trading, the embedded store, synthetic market data.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Settings> = {}): Settings {
  const problems: string[] = [];
  for (const key of Object.keys(env)) {
    if (key.startsWith('ARBITER_') && !KNOWN.has(key) && !CREDENTIAL_VAR.test(key))
      problems.push(`${key} is not a known setting (known: ${[...KNOWN].join(', ')})`);
  }
  // `shadow` is what prediction-market tools call paper trading (real quotes, simulated fills): the same mode here.
  const asked: string = overrides.mode ?? env.ARBITER_MODE ?? 'paper';
  const mode = (asked === 'shadow' ? 'paper' : asked) as Mode;
  if (!['readonly', 'paper', 'live'].includes(mode))
    problems.push(`ARBITER_MODE must be readonly, paper (or its other name, shadow) or live; got ${mode}`);
  const sync = (overrides.sync ?? env.ARBITER_SYNC ?? 'normal') as Settings['sync'];
  if (sync !== 'normal' && sync !== 'full') problems.push(`ARBITER_SYNC must be normal or full; got ${sync}`);
  const names = {
    venue: overrides.venue ?? env.ARBITER_VENUE ?? 'paper',
    account: overrides.account ?? env.ARBITER_ACCOUNT ?? 'main',
    agent: overrides.agent ?? env.ARBITER_AGENT ?? 'local',
  };
  for (const [k, v] of Object.entries(names)) {
    const problem = nameProblem(`ARBITER_${k.toUpperCase()}`, v);
    if (problem) problems.push(problem);
  }
  const broker = (overrides.broker ?? env.ARBITER_BROKER ?? names.venue).trim().toLowerCase();
  if (!BROKER.test(broker))
    problems.push(
      `ARBITER_BROKER (the runtime-root folder live/<broker>/) must match ${BROKER.source}, as Vibe-Trading's broker keys do; got ${JSON.stringify(broker)}`,
    );
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${key} must be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return n;
  };
  const barMs = overrides.barMs ?? int('ARBITER_BAR_MS', 1_000, 10, 86_400_000);
  const checkpointEvery = overrides.checkpointEvery ?? int('ARBITER_CHECKPOINT_EVERY', 100, 0, 1_000_000);
  const recoverAfterMs = overrides.recoverAfterMs ?? int('ARBITER_RECOVER_AFTER_MS', 30_000, 200, 86_400_000);
  const paperLatencyMs = overrides.paperLatencyMs ?? int('ARBITER_PAPER_LATENCY_MS', 0, 0, 60_000);
  const marketSource = overrides.marketSource ?? env.ARBITER_MARKET ?? 'synthetic:7';
  if (!/^(synthetic(:\d+)?|csv:.+)$/.test(marketSource))
    problems.push(`ARBITER_MARKET must be synthetic[:SEED] or csv:PATH[,PATH]; got ${JSON.stringify(marketSource)}`);
  const dbUrl = overrides.databaseUrl ?? env.ARBITER_DATABASE_URL ?? null;
  if (dbUrl !== null && !/^postgres(ql)?:\/\//.test(dbUrl))
    problems.push('ARBITER_DATABASE_URL must be a postgres:// or postgresql:// URL');
  const venueMode = (overrides.venueMode ?? env.ARBITER_VENUE_MODE ?? 'testnet') as Settings['venueMode'];
  if (!['testnet', 'demo', 'live'].includes(venueMode))
    problems.push(`ARBITER_VENUE_MODE must be testnet, demo or live; got ${JSON.stringify(venueMode)}`);
  const venueUrl = overrides.venueUrl ?? env.ARBITER_VENUE_URL ?? null;
  if (venueUrl !== null && !/^https?:\/\/[^\s]+$/.test(venueUrl))
    problems.push('ARBITER_VENUE_URL must be an http(s) URL');
  if (mode === 'live' && names.venue.toLowerCase() === 'paper')
    problems.push('ARBITER_MODE=live needs a live venue (ARBITER_VENUE=bybit, binance, okx, bitget …), not paper');
  if (mode === 'live' && names.venue.toLowerCase() !== 'paper' && venueMode !== 'live')
    problems.push(
      'ARBITER_MODE=live trades real money only with ARBITER_VENUE_MODE=live; use paper mode for testnet/demo',
    );
  let polymarketMarkets: Record<string, string> = {};
  if (names.venue.toLowerCase() === 'polymarket') {
    try {
      polymarketMarkets = parseMarketList(overrides.polymarketMarkets ? '' : (env.ARBITER_POLYMARKET_MARKETS ?? ''));
    } catch (err) {
      problems.push((err as Error).message.replace(/^POLYMARKET_CONFIG_INVALID: /, ''));
    }
    polymarketMarkets = { ...polymarketMarkets, ...overrides.polymarketMarkets };
    if (Object.keys(polymarketMarkets).length === 0)
      problems.push('ARBITER_VENUE=polymarket needs ARBITER_POLYMARKET_MARKETS=MARKET-ID=0x<condition id>[,…]');
    if (venueMode === 'demo') problems.push('ARBITER_VENUE_MODE=demo: Polymarket has testnet (an emulator) or live');
    if (venueMode === 'testnet' && venueUrl === null)
      problems.push(
        'Polymarket has no public testnet CLOB: set ARBITER_VENUE_URL to an emulator, or ARBITER_VENUE_MODE=live',
      );
  }
  const callsText = env.ARBITER_MCP_CALLS ?? '50,1500';
  const calls = /^(\d{1,7}),(\d{1,9})$/.exec(callsText);
  if (!calls)
    problems.push(`ARBITER_MCP_CALLS must be PER_SECOND,PER_MINUTE (e.g. 50,1500); got ${JSON.stringify(callsText)}`);
  const mcpSessionIdleMs = overrides.mcpSessionIdleMs ?? int('ARBITER_MCP_SESSION_IDLE_MS', 900_000, 1_000, 86_400_000);
  const mcpSessionsPerAgent = overrides.mcpSessionsPerAgent ?? int('ARBITER_MCP_SESSIONS_PER_AGENT', 8, 1, 10_000);
  const offsetText = env.ARBITER_CLOCK_OFFSET_MS;
  let clockOffsetMs = overrides.clockOffsetMs ?? 0;
  if (offsetText !== undefined) {
    const n = Number(offsetText);
    if (!/^-?\d{1,13}$/.test(offsetText.trim()) || Math.abs(n) > MAX_CLOCK_OFFSET_MS)
      problems.push(
        `ARBITER_CLOCK_OFFSET_MS must be an integer number of milliseconds from -${MAX_CLOCK_OFFSET_MS} to ${MAX_CLOCK_OFFSET_MS} (about ten years); got ${JSON.stringify(offsetText)}`,
      );
    else clockOffsetMs = n;
  }
  if (mode === 'live' && clockOffsetMs !== 0)
    problems.push(
      'ARBITER_CLOCK_OFFSET_MS is for paper and read-only simulations: live mode runs on the real clock (unset it)',
    );
  if (problems.length) throw new SettingsError(problems);
  return {
    mcpCalls: { perSecond: Number(calls?.[1] ?? 50), perMinute: Number(calls?.[2] ?? 1500) },
    mcpSessionIdleMs,
    mcpSessionsPerAgent,
    clockOffsetMs,
    home: resolve(overrides.home ?? env.ARBITER_HOME ?? join(homedir(), '.arbiter')),
    databaseUrl: dbUrl,
    venue: names.venue.toLowerCase(),
    broker,
    account: names.account,
    agent: names.agent,
    mode,
    marketSource,
    sync,
    barMs,
    checkpointEvery,
    recoverAfterMs,
    paperLatencyMs,
    venueMode,
    venueUrl,
    polymarketMarkets,
    secretsFile: overrides.secretsFile ?? env.ARBITER_SECRETS_FILE ?? null,
  };
}
