import { z } from 'zod';

// The inputs of the risk tools and routes, parsed once at either door (MCP, HTTP). Unknown fields are refused.
// Every tool works on given numbers, or, when they are left out, on the calling agent's own book.

const returnValue = z.number().finite().gt(-1, 'a simple return is above −1 (−100 %)').lt(100);
const returnSeries = z.array(returnValue).min(2).max(100_000);
const confidence = z.number().gt(0.5, 'confidence must be in (0.5, 1), e.g. 0.95').lt(1);
const timeframe = z.enum(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h');
const lookback = z.number().int().min(10).max(2_000).default(250);
const bookDescribe = 'bars of the book’s symbols when no numbers are given';

export const kellyInput = z
  .strictObject({
    p: z.number().min(0).max(1).optional().describe('probability of a win'),
    b: z.number().positive().max(1e6).optional().describe('fraction of the stake won on a win'),
    a: z.number().positive().max(1e6).optional().describe('fraction of the stake lost on a loss'),
    mean: z.number().finite().optional().describe('per-period mean return (continuous Kelly)'),
    variance: z.number().finite().positive().optional().describe('per-period variance of returns'),
    risk_free: z.number().finite().default(0).describe('per-period risk-free rate'),
  })
  .superRefine((v, ctx) => {
    const binary = v.p !== undefined || v.b !== undefined || v.a !== undefined;
    const continuous = v.mean !== undefined || v.variance !== undefined;
    if (binary === continuous || (binary && (v.p === undefined || v.b === undefined || v.a === undefined)))
      ctx.addIssue({ code: 'custom', message: 'give either p, b and a (a binary bet) or mean and variance' });
    if (continuous && (v.mean === undefined || v.variance === undefined))
      ctx.addIssue({ code: 'custom', message: 'continuous Kelly needs both mean and variance' });
  });

export const varInput = z.strictObject({
  returns: returnSeries.optional().describe('per-period simple returns, oldest first; omitted: your own book'),
  confidence: confidence.default(0.95),
  method: z.enum(['historical', 'gaussian', 'modified']).default('historical'),
  timeframe: timeframe.describe(bookDescribe),
  lookback,
});

export const monteCarloInput = z
  .strictObject({
    returns: returnSeries.optional().describe('per-period simple returns to resample; omitted: your own book'),
    paths: z.number().int().min(1).max(20_000).default(1_000),
    steps: z.number().int().min(1).max(10_000).default(250),
    seed: z.number().int().min(0).max(4_294_967_295).default(1),
    method: z.enum(['bootstrap', 'parametric']).default('bootstrap'),
    block_size: z.number().int().min(1).max(1_000).optional(),
    ruin_floor: z.number().min(0).lt(1).default(0.5).describe('ruin: equity at or below this share of the start'),
    timeframe: timeframe.describe(bookDescribe),
    lookback,
  })
  .refine((v) => v.paths * v.steps <= 2_000_000, { message: 'paths × steps must be at most 2,000,000' });

export const portfolioInput = z
  .strictObject({
    weights: z.array(z.number().finite().min(-100).max(100)).min(1).max(200).optional(),
    covariance: z.array(z.array(z.number().finite())).max(200).optional(),
    returns: z.array(returnSeries).max(200).optional().describe('one return series per weight (instead of covariance)'),
    confidence: confidence.default(0.99),
    horizon: z.number().int().min(1).max(10_000).default(1),
    timeframe: timeframe.describe(bookDescribe),
    lookback,
  })
  .refine((v) => v.weights !== undefined || (v.covariance === undefined && v.returns === undefined), {
    message: 'covariance or returns need weights',
  })
  .refine((v) => v.weights === undefined || (v.covariance === undefined) !== (v.returns === undefined), {
    message: 'with weights give exactly one of covariance or returns',
  });

export const positionSizeInput = z
  .strictObject({
    p: z.number().min(0).max(1).optional(),
    b: z.number().positive().max(1e6).optional(),
    a: z.number().positive().max(1e6).optional(),
    mean: z.number().finite().optional(),
    variance: z.number().finite().positive().optional(),
    risk_free: z.number().finite().default(0),
    fraction: z.number().gt(0).max(1).default(0.5).describe('share of full Kelly, 0.5 = half Kelly'),
    equity: z.number().finite().positive().max(1e12).optional().describe('omitted: your own account equity'),
    max_share: z.number().positive().max(100).default(1).describe('stake cap as a share of equity'),
  })
  .superRefine((v, ctx) => {
    const parsed = kellyInput.safeParse({
      ...(v.p !== undefined ? { p: v.p } : {}),
      ...(v.b !== undefined ? { b: v.b } : {}),
      ...(v.a !== undefined ? { a: v.a } : {}),
      ...(v.mean !== undefined ? { mean: v.mean } : {}),
      ...(v.variance !== undefined ? { variance: v.variance } : {}),
    });
    if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: i.message });
  });

export type KellyInput = z.infer<typeof kellyInput>;
export type VarInput = z.infer<typeof varInput>;
export type MonteCarloInput = z.infer<typeof monteCarloInput>;
export type PortfolioInput = z.infer<typeof portfolioInput>;
export type PositionSizeInput = z.infer<typeof positionSizeInput>;
