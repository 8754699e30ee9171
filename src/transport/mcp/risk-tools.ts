import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  kellyInput,
  monteCarloInput,
  portfolioInput,
  positionSizeInput,
  varInput,
} from '../../services/risk/inputs.js';
import { RiskServiceError } from '../../services/risk/risk-service.js';
import type { McpContext } from './context.js';
import { failure, ok } from './results.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
type Wrap = <A>(fn: (args: A) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

const BOOK =
  'Leave the numbers out to use your own book: positions at mark plus orders in flight, with the returns of `lookback` closed `timeframe` bars.';

/** Risk figures (arbiter/risk) on given numbers or on the session's own book; nothing here trades or reserves. */
export function registerRiskTools(server: McpServer, ctx: McpContext, wrap: Wrap): void {
  const risk = ctx.risk;
  if (!risk) return;
  const run =
    <A>(fn: (a: A) => Promise<Record<string, unknown>>) =>
    async (a: A): Promise<CallToolResult> => {
      try {
        return ok(await fn(a));
      } catch (e) {
        if (e instanceof RiskServiceError) return failure(e.code, e.message);
        throw e;
      }
    };
  const number = z.number().nullable();
  server.registerTool(
    'calculate_kelly',
    {
      title: 'Kelly fraction',
      description:
        'The growth-optimal (Kelly) fraction of equity to stake: for a bet winning the fraction b of the stake with probability p and losing the fraction a otherwise, f* = p/a − (1 − p)/b (0 for a fair bet, negative: do not bet); or, from a per-period mean and variance of returns, the continuous Kelly leverage (mean − risk_free)/variance.',
      inputSchema: kellyInput,
      outputSchema: z.looseObject({ kelly: number, method: z.enum(['binary', 'continuous']) }),
      annotations: READ,
    },
    wrap(run(async (a: z.infer<typeof kellyInput>) => ({ ...risk.kelly(a) }))),
  );
  server.registerTool(
    'value_at_risk',
    {
      title: 'Value at Risk and expected shortfall',
      description: `VaR and ES of a return series at a confidence level, as PerformanceAnalytics returns them: signed returns, negative for a loss (var −0.02 = a loss worse than 2 % has a 1 − confidence chance; es is the mean of that tail, es ≤ var). Methods: historical (type-7 quantile), gaussian, modified (Cornish-Fisher). ${BOOK}`,
      inputSchema: varInput,
      outputSchema: z.looseObject({ var: number, es: number, method: z.string(), observations: z.number() }),
      annotations: READ,
    },
    wrap(run(async (a: z.infer<typeof varInput>) => risk.valueAtRisk(ctx.session, a))),
  );
  server.registerTool(
    'monte_carlo',
    {
      title: 'Monte Carlo drawdown and ruin',
      description: `Seeded simulation of equity curves from a return series (circular block bootstrap or normal returns): the distribution of maximum drawdown and terminal wealth (start = 1) and the probability that equity touches ruin_floor. The same seed gives the same answer. paths × steps ≤ 2,000,000. ${BOOK}`,
      inputSchema: monteCarloInput,
      outputSchema: z.looseObject({
        maxDrawdown: z.looseObject({}),
        terminalWealth: z.looseObject({}),
        probabilityOfRuin: z.number(),
      }),
      annotations: READ,
    },
    wrap(run(async (a: z.infer<typeof monteCarloInput>) => ({ ...(await risk.monteCarlo(ctx.session, a)) }))),
  );
  server.registerTool(
    'portfolio_risk',
    {
      title: 'Portfolio VaR, ES and their contributions',
      description: `Gaussian VaR and ES of a portfolio from weights (shares of equity, negative = short) and a covariance matrix or one return series per weight, over horizon periods (σ·√horizon), with marginal (∂VaR/∂w) and component VaR/ES that sum to the total, the HHI concentration and the correlation matrix. ${BOOK}`,
      inputSchema: portfolioInput,
      outputSchema: z.looseObject({ var: number, es: number, componentVar: z.array(number), hhi: number }),
      annotations: READ,
    },
    wrap(run(async (a: z.infer<typeof portfolioInput>) => risk.portfolioRisk(ctx.session, a))),
  );
  server.registerTool(
    'position_size',
    {
      title: 'Fractional-Kelly position size',
      description:
        'A stake in USD: equity × min(fraction × Kelly, max_share), from a binary bet (p, b, a) or a per-period mean and variance; nothing when the edge is not positive. Without equity it sizes on your own account’s equity.',
      inputSchema: positionSizeInput,
      outputSchema: z.looseObject({ kelly: number, stake_usd: z.number(), equity: z.number() }),
      annotations: READ,
    },
    wrap(run(async (a: z.infer<typeof positionSizeInput>) => risk.positionSize(ctx.session, a))),
  );
}
