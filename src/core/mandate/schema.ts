import { z } from 'zod';
import { immutable } from '../cert/canonical.js';
import { MAX_CERTIFICATE_TTL_SECONDS } from '../cert/lifetime.js';
import {
  ASSET_CLASSES,
  DEFAULT_EXTENSION,
  INSTRUMENT_TYPES,
  MANDATE_SCHEMA_VERSION,
  MARKET_KINDS,
  type Mandate,
  type MandateLoad,
  VIBE_TRADING_EXTENSION,
} from './types.js';

const money = z.number().finite().positive().max(1e12);
const pct = z.number().finite().positive().max(100);
/**
 * Consent times are kept as written: one Vibe-Trading cannot read still loads there and counts as expired in its
 * gate, and so here (gate 1 reads them with `parseIsoInstant`, exactly as Vibe-Trading does).
 */
const consentTime = z.string().max(256);

/**
 * A class value: Vibe-Trading's known ones, or a future one spelt the same way, which allows nothing new. An empty
 * list loads, as in Vibe-Trading, and allows nothing.
 */
const classValues = (known: readonly string[]) =>
  z.array(
    z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, `must be one of ${known.join(', ')} (or a newer class, lower_snake_case)`),
  );

const hardCaps = z.object({
  account_funding_usd: money,
  max_order_notional_usd: money,
  max_total_exposure_usd: money,
  max_leverage: z.number().finite().positive().max(200),
  allowed_instruments: classValues(INSTRUMENT_TYPES),
  max_trades_per_day: z.number().int().nonnegative().max(1e9),
});

const universe = z.object({
  asset_classes: classValues(ASSET_CLASSES),
  min_market_cap_usd: money.nullable(),
  min_avg_daily_volume_usd: money.nullable(),
  exclude_symbols: z.array(z.string().min(1).max(64)),
});

const consent = z.object({
  created_at: consentTime,
  consent_token_sha256: z.string().min(1).max(128),
  broker: z.string().min(1).max(64),
  account_ref: z.string().max(128),
  expires_at: consentTime,
});

const riskLimits = z
  .object({
    max_position_pct: pct.optional(),
    max_var: z
      .object({
        measure: z.enum(['var', 'es']).default('var'),
        confidence: z.number().gt(0.5, 'must be a confidence level in (0.5, 1)').lt(1).default(0.99),
        horizon_periods: z.number().int().positive().max(10_000).default(1),
        max_loss_pct: pct,
      })
      .strict()
      .optional(),
    max_correlation: z.number().finite().min(0).max(1).optional(),
    kelly: z
      .object({
        multiplier: z.number().finite().positive().max(1),
        min_periods: z.number().int().min(2).max(100_000).default(30),
      })
      .strict()
      .optional(),
    timeframe: z.enum(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'),
    lookback: z.number().int().min(10).max(2_000).default(250),
  })
  .strict();

const predictionLimits = z
  .object({
    collar_cents: z.number().finite().positive().max(99).optional(),
    max_cost_basis_per_market_usd: money.optional(),
    max_cost_basis_total_usd: money.optional(),
    min_liquidity_usd: money.optional(),
    min_minutes_to_resolution: z.number().int().nonnegative().max(525_600).optional(),
  })
  .strict();

const D = DEFAULT_EXTENSION;
const extensionFields = z
  .object({
    collar_pct: pct.default(D.collar_pct),
    max_quote_age_ms: z.number().int().positive().max(3_600_000).default(D.max_quote_age_ms),
    throttle: z
      .object({
        per_second: z.number().int().positive().max(100_000),
        per_minute: z.number().int().positive().max(6_000_000),
      })
      .default(D.throttle),
    duplicate_window_ms: z.number().int().nonnegative().max(3_600_000).default(D.duplicate_window_ms),
    max_daily_loss_pct: pct.default(D.max_daily_loss_pct),
    max_drawdown_pct: pct.default(D.max_drawdown_pct),
    crash_breaker: z
      .object({ drop_pct: pct, window_minutes: z.number().int().positive().max(10_080) })
      .default(D.crash_breaker),
    approval_threshold_usd: money.nullable().default(D.approval_threshold_usd),
    approve_all_live: z.boolean().default(D.approve_all_live),
    allow_capping: z.boolean().default(D.allow_capping),
    funding_ceiling: z.boolean().default(D.funding_ceiling),
    allow_symbols: z.array(z.string().min(1).max(64)).default([...D.allow_symbols]),
    market_kinds: z
      .array(z.enum(MARKET_KINDS))
      .min(1)
      .default([...D.market_kinds]),
    certificate_ttl_seconds: z
      .number()
      .int()
      .positive()
      .max(MAX_CERTIFICATE_TTL_SECONDS)
      .default(D.certificate_ttl_seconds),
    max_account_staleness_ms: z.number().int().positive().max(86_400_000).default(D.max_account_staleness_ms),
    risk: riskLimits.optional(),
    extended_hours: z.boolean().optional(),
    prediction: predictionLimits.optional(),
  })
  .strict();

/**
 * Unknown top-level keys are ignored (Vibe-Trading compatibility); unknown keys inside `arbiter` are errors. No
 * `arbiter` block: Vibe-Trading's own gate behaviour (`VIBE_TRADING_EXTENSION`); a block, even `{}`: Arbiter's.
 */
export const mandateSchema = z.object({
  schema_version: z.literal(MANDATE_SCHEMA_VERSION),
  hard_caps: hardCaps,
  universe,
  consent,
  flatten_on_halt: z.boolean().default(false),
  arbiter: extensionFields.optional().transform(
    (x) =>
      x ??
      extensionFields.parse({
        allow_capping: VIBE_TRADING_EXTENSION.allow_capping,
        funding_ceiling: VIBE_TRADING_EXTENSION.funding_ceiling,
      }),
  ),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Validates a parsed JSON value as a mandate. Never throws. */
export function parseMandate(raw: unknown): MandateLoad {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, code: 'MANDATE_INVALID', message: 'MANDATE_INVALID: field=(root) expected a JSON object' };
  }
  const version = (raw as Record<string, unknown>).schema_version;
  if (version !== MANDATE_SCHEMA_VERSION) {
    return {
      ok: false,
      code: 'MANDATE_SCHEMA_UNSUPPORTED',
      message: `MANDATE_SCHEMA_UNSUPPORTED: field=schema_version got=${JSON.stringify(version) ?? 'undefined'} accepted=1`,
    };
  }
  const result = mandateSchema.safeParse(raw);
  if (!result.success) {
    return { ok: false, code: 'MANDATE_INVALID', message: `MANDATE_INVALID: ${describeIssues(result.error)}` };
  }
  return { ok: true, mandate: immutable(result.data as Mandate) };
}

/** Parses mandate file text. Never throws. */
export function parseMandateText(text: string): MandateLoad {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'MANDATE_INVALID', message: `MANDATE_INVALID: not valid JSON (${(e as Error).message})` };
  }
  return parseMandate(raw);
}

/** A conservative starting mandate: paper broker, small caps, 1x leverage, 30-day consent. */
export function defaultMandate(now: Date, consentTokenSha256: string, broker = 'paper'): Mandate {
  const expires = new Date(now.getTime() + 30 * 86_400_000);
  return {
    schema_version: 1,
    hard_caps: {
      account_funding_usd: 10_000,
      max_order_notional_usd: 500,
      max_total_exposure_usd: 2_500,
      max_leverage: 1,
      allowed_instruments: ['crypto'],
      max_trades_per_day: 50,
    },
    universe: {
      asset_classes: ['crypto'],
      min_market_cap_usd: null,
      min_avg_daily_volume_usd: null,
      exclude_symbols: [],
    },
    consent: {
      created_at: now.toISOString(),
      consent_token_sha256: consentTokenSha256,
      broker,
      account_ref: `${broker}-1`,
      expires_at: expires.toISOString(),
    },
    flatten_on_halt: false,
    arbiter: { ...DEFAULT_EXTENSION },
  };
}
