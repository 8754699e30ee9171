import {
  kellyInput,
  monteCarloInput,
  portfolioInput,
  positionSizeInput,
  varInput,
} from '../../../services/risk/inputs.js';
import { RiskServiceError } from '../../../services/risk/risk-service.js';
import type { Api } from './context.js';
import { HttpError } from './errors.js';
import type { Routes } from './route.js';

const STATUS_OF: Record<RiskServiceError['code'], number> = { INVALID_ARGUMENT: 400, NO_POSITIONS: 409, NO_DATA: 409 };

function mapRiskError(e: unknown): never {
  if (e instanceof RiskServiceError) throw new HttpError(STATUS_OF[e.code], e.code, e.message);
  throw e;
}

const BOOK = 'Leave the numbers out to use the calling agent’s own book (409 NO_POSITIONS when it is empty).';
const COMMON = { 400: 'a malformed body (names the field; unknown fields are refused)', 401: 'no agent token' };

/** Risk figures (arbiter/risk) beside the MCP tools of the same names; the book is always the token's. */
export function riskRoutes(r: Routes, api: Api): void {
  const risk = api.services.risk;
  if (!risk) return;
  r.add({
    method: 'POST',
    url: '/v1/risk/kelly',
    auth: 'agent',
    tag: 'risk',
    summary: 'Kelly fraction of a binary bet (p, b, a) or continuous Kelly from mean and variance',
    body: kellyInput,
    responses: { 200: '{ kelly, method }', ...COMMON },
    handler: async ({ body }) => risk.kelly(body),
  });
  r.add({
    method: 'POST',
    url: '/v1/risk/var',
    auth: 'agent',
    tag: 'risk',
    summary: 'VaR and ES (historical, gaussian, modified) as signed returns, negative for a loss',
    description: BOOK,
    body: varInput,
    responses: { 200: '{ var, es, method, confidence, observations, source }', ...COMMON, 409: 'no book or no data' },
    handler: async ({ body, session }) => risk.valueAtRisk(session!, body).catch(mapRiskError),
  });
  r.add({
    method: 'POST',
    url: '/v1/risk/monte-carlo',
    auth: 'agent',
    tag: 'risk',
    summary: 'Seeded Monte Carlo of equity curves: drawdown and terminal-wealth quantiles, probability of ruin',
    description: BOOK,
    body: monteCarloInput,
    responses: { 200: '{ maxDrawdown, terminalWealth, probabilityOfRuin, … }', ...COMMON, 409: 'no book or no data' },
    handler: async ({ body, session }) => risk.monteCarlo(session!, body).catch(mapRiskError),
  });
  r.add({
    method: 'POST',
    url: '/v1/risk/portfolio',
    auth: 'agent',
    tag: 'risk',
    summary: 'Gaussian portfolio VaR/ES with marginal and component parts, HHI and correlations',
    description: BOOK,
    body: portfolioInput,
    responses: { 200: '{ var, es, sd, marginalVar, componentVar, … }', ...COMMON, 409: 'no book or no data' },
    handler: async ({ body, session }) => risk.portfolioRisk(session!, body).catch(mapRiskError),
  });
  r.add({
    method: 'POST',
    url: '/v1/risk/position-size',
    auth: 'agent',
    tag: 'risk',
    summary: 'Fractional-Kelly stake in USD, on given equity or the agent’s own',
    body: positionSizeInput,
    responses: { 200: '{ kelly, stake_usd, equity, … }', ...COMMON },
    handler: async ({ body, session }) => risk.positionSize(session!, body).catch(mapRiskError),
  });
}
