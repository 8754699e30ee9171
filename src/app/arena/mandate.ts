import { nodeHasher } from '../../adapters/crypto/node-signer.js';
import { canonicalJson } from '../../core/cert/canonical.js';
import { parseMandate } from '../../core/mandate/schema.js';
import { DEFAULT_EXTENSION, type MandateLoad } from '../../core/mandate/types.js';
import type { MandateSource } from '../../services/deps.js';
import type { ArenaMandateView } from '../../transport/http/api/arena-source.js';

const DAY_MS = 86_400_000;

/**
 * The mandate every arena account trades under, sized to the starting capital: one order up to the capital,
 * gross exposure up to twice it (a carry trade holds both legs), leverage ≤ 2, loss limits wide enough that a
 * strategy is judged on its own drawdowns, and a consent window covering the replay. The universe is crypto unless
 * the market is another (a stock: its instrument type and asset class).
 */
export function arenaMandate(
  capital: number,
  fromTs: number,
  toTs: number,
  universe: { readonly instruments: readonly string[]; readonly assetClasses: readonly string[] } = {
    instruments: ['crypto'],
    assetClasses: ['crypto'],
  },
): MandateLoad {
  return parseMandate({
    schema_version: 1,
    hard_caps: {
      account_funding_usd: capital,
      max_order_notional_usd: capital,
      max_total_exposure_usd: 2 * capital,
      max_leverage: 2,
      allowed_instruments: [...universe.instruments],
      max_trades_per_day: 10_000,
    },
    universe: {
      asset_classes: [...universe.assetClasses],
      min_market_cap_usd: null,
      min_avg_daily_volume_usd: null,
      exclude_symbols: [],
    },
    consent: {
      created_at: new Date(fromTs - DAY_MS).toISOString(),
      consent_token_sha256: nodeHasher.sha256Hex('arbiter-arena'),
      broker: 'arena',
      account_ref: 'arena',
      expires_at: new Date(toTs + DAY_MS).toISOString(),
    },
    flatten_on_halt: false,
    arbiter: { ...DEFAULT_EXTENSION, max_daily_loss_pct: 25, max_drawdown_pct: 60 },
  });
}

/** Serves one mandate for one venue; any other venue has none (and so trades nothing). */
export function singleMandate(venue: string, load: MandateLoad): MandateSource {
  return {
    load: (v) => (v === venue ? load : { ok: false, code: 'MANDATE_MISSING', message: `MANDATE_MISSING: venue=${v}` }),
  };
}

/** What the dashboard shows of the mandate an arena trades under. */
export function mandateView(load: MandateLoad, source: string): ArenaMandateView {
  if (!load.ok)
    return {
      source,
      ok: false,
      problem: load.message,
      hash: null,
      per_order_usd: null,
      max_exposure_usd: null,
      max_leverage: null,
      max_trades_per_day: null,
      flatten_on_halt: false,
      expires_at: null,
    };
  const m = load.mandate;
  return {
    source,
    ok: true,
    problem: null,
    hash: `sha256:${nodeHasher.sha256Hex(canonicalJson(m))}`,
    per_order_usd: m.hard_caps.max_order_notional_usd,
    max_exposure_usd: m.hard_caps.max_total_exposure_usd,
    max_leverage: m.hard_caps.max_leverage,
    max_trades_per_day: m.hard_caps.max_trades_per_day,
    flatten_on_halt: m.flatten_on_halt,
    expires_at: m.consent.expires_at,
  };
}
