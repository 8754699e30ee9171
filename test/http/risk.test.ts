import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpContext } from '../../src/app/services.js';
import { portfolioRisk } from '../../src/core/risk/portfolio.js';
import { createArbiterMcp } from '../../src/transport/mcp/server.js';
import { edhecConvertibleArbitrage } from '../fixtures/risk/reference.js';
import { call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

const edhec = edhecConvertibleArbitrage();
const COV = [
  [0.0004, 0.0001],
  [0.0001, 0.0009],
];

describe('risk over HTTP and MCP', () => {
  let h: Harness;
  let mcp: Client;
  beforeAll(async () => {
    h = await startHarness({ bars: 0 });
    const placed = await call(h, 'POST', '/v1/orders', {
      token: h.tokens.alice,
      body: { symbol: 'BTC/USDT', side: 'buy', notional: 250 },
    });
    expect(placed.body.decision).toBe('ALLOW');
    const server = createArbiterMcp(
      mcpContext(h.ctx, h.services, { agentId: 'alice', accountId: 'alice', venue: 'paper', sessionId: 'm' }, 'paper'),
    );
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.server.connect(b);
    mcp = new Client({ name: 'risk-test', version: '1' });
    await mcp.connect(a);
  });
  afterAll(async () => {
    await mcp.close();
    await h.close();
  });

  describe('HTTP /v1/risk', () => {
    it('computes the Kelly fraction of an even-money bet won 60 % of the time: 0.2', async () => {
      const r = await call(h, 'POST', '/v1/risk/kelly', { token: h.tokens.alice, body: { p: 0.6, b: 1, a: 1 } });
      expect(r.status).toBe(200);
      expect(r.body.kelly).toBeCloseTo(0.2, 12);
      expect(r.body.method).toBe('binary');
    });

    it('refuses an unknown field, a half-given bet and a missing token', async () => {
      const extra = await call(h, 'POST', '/v1/risk/kelly', {
        token: h.tokens.alice,
        body: { p: 0.6, b: 1, a: 1, x: 1 },
      });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toMatch(/x/);
      const half = await call(h, 'POST', '/v1/risk/kelly', { token: h.tokens.alice, body: { p: 0.6 } });
      expect(half.status).toBe(400);
      expect(half.body.message).toMatch(/give either p, b and a \(a binary bet\) or mean and variance/);
      const none = await call(h, 'POST', '/v1/risk/kelly', { body: { p: 0.6, b: 1, a: 1 } });
      expect(none.status).toBe(401);
    });

    it('gives the published historical 95 % VaR of edhec Convertible Arbitrage on given returns', async () => {
      const r = await call(h, 'POST', '/v1/risk/var', { token: h.tokens.alice, body: { returns: edhec } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ source: 'given', method: 'historical', confidence: 0.95, observations: 152 });
      expect(r.body.var).toBeCloseTo(-0.01916, 12);
      expect(r.body.es).toBeLessThan(r.body.var);
    });

    it('computes VaR on the agent’s own book, and 409 NO_POSITIONS for an agent with none', async () => {
      const own = await call(h, 'POST', '/v1/risk/var', { token: h.tokens.alice, body: { method: 'gaussian' } });
      expect(own.status, own.text).toBe(200);
      expect(own.body.source).toBe('book');
      expect(own.body.symbols).toEqual(['BTC/USDT']);
      expect(own.body.observations).toBe(250);
      expect(own.body.var).toBeLessThan(0);
      const empty = await call(h, 'POST', '/v1/risk/var', { token: h.tokens.bob, body: {} });
      expect(empty.status).toBe(409);
      expect(empty.body.error).toBe('NO_POSITIONS');
    });

    it('runs the same seeded Monte Carlo twice to the same answer, and refuses more than 2,000,000 cells', async () => {
      const body = { returns: edhec, paths: 500, steps: 120, seed: 42 };
      const one = await call(h, 'POST', '/v1/risk/monte-carlo', { token: h.tokens.alice, body });
      const two = await call(h, 'POST', '/v1/risk/monte-carlo', { token: h.tokens.alice, body });
      expect(one.status).toBe(200);
      expect(one.text).toBe(two.text);
      expect(one.body.probabilityOfRuin).toBeGreaterThanOrEqual(0);
      const big = await call(h, 'POST', '/v1/risk/monte-carlo', {
        token: h.tokens.alice,
        body: { returns: edhec, paths: 20_000, steps: 1_000 },
      });
      expect(big.status).toBe(400);
      expect(big.body.message).toMatch(/paths × steps must be at most 2,000,000/);
    });

    it('decomposes portfolio VaR from weights and a covariance matrix, and names a shape mismatch', async () => {
      const r = await call(h, 'POST', '/v1/risk/portfolio', {
        token: h.tokens.alice,
        body: { weights: [0.6, 0.4], covariance: COV, confidence: 0.99, horizon: 10 },
      });
      expect(r.status).toBe(200);
      const expected = portfolioRisk({ weights: [0.6, 0.4], covariance: COV, p: 0.99, horizon: 10 });
      expect(r.body.var).toBeCloseTo(expected.var, 14);
      expect(r.body.componentVar[0] + r.body.componentVar[1]).toBeCloseTo(r.body.var, 14);
      expect(r.body.hhi).toBeCloseTo(0.52, 14);
      const bad = await call(h, 'POST', '/v1/risk/portfolio', {
        token: h.tokens.alice,
        body: { weights: [0.6, 0.4, 0.1], covariance: COV },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/covariance must be 3×3 to match 3 weights/);
    });

    it('sizes half Kelly on given equity: 10,000 × 0.5 × 0.2 = 1,000', async () => {
      const r = await call(h, 'POST', '/v1/risk/position-size', {
        token: h.tokens.alice,
        body: { p: 0.6, b: 1, a: 1, fraction: 0.5, equity: 10_000 },
      });
      expect(r.status).toBe(200);
      expect(r.body.stake_usd).toBeCloseTo(1_000, 9);
      expect(r.body.capped_by_max_share).toBe(false);
    });
  });

  describe('MCP tools', () => {
    it('lists the five risk tools with their input schemas', async () => {
      const { tools } = await mcp.listTools();
      for (const name of ['calculate_kelly', 'value_at_risk', 'monte_carlo', 'portfolio_risk', 'position_size']) {
        const t = tools.find((x) => x.name === name);
        expect(t, name).toBeDefined();
        expect(t!.annotations?.readOnlyHint, name).toBe(true);
      }
      const kelly = tools.find((x) => x.name === 'calculate_kelly')!;
      expect(Object.keys(kelly.inputSchema.properties ?? {})).toEqual(
        expect.arrayContaining(['p', 'b', 'a', 'mean', 'variance']),
      );
      expect(kelly.inputSchema.additionalProperties).toBe(false);
    });

    it('calculate_kelly answers in structured content; a fair bet is 0', async () => {
      const r = await mcp.callTool({ name: 'calculate_kelly', arguments: { p: 0.5, b: 1, a: 1 } });
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as { kelly: number }).kelly).toBe(0);
      const c = await mcp.callTool({ name: 'calculate_kelly', arguments: { mean: 0.01, variance: 0.0004 } });
      expect((c.structuredContent as { kelly: number }).kelly).toBeCloseTo(25, 12);
    });

    it('refuses an unknown argument, naming it', async () => {
      const r = await mcp
        .callTool({ name: 'value_at_risk', arguments: { returns: edhec, confidence: 0.95, agent_id: 'bob' } })
        .catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toMatch(/agent_id/);
    });

    it('value_at_risk and portfolio_risk work on the session’s own book', async () => {
      const v = await mcp.callTool({ name: 'value_at_risk', arguments: { method: 'modified', confidence: 0.99 } });
      expect(v.isError, JSON.stringify(v.content)).toBeFalsy();
      expect(v.structuredContent).toMatchObject({ source: 'book', method: 'modified', symbols: ['BTC/USDT'] });
      const p = await mcp.callTool({ name: 'portfolio_risk', arguments: {} });
      expect(p.isError, JSON.stringify(p.content)).toBeFalsy();
      const s = p.structuredContent as { var: number; componentVar: number[]; correlation: number[][] };
      expect(s.componentVar[0]).toBeCloseTo(s.var, 14);
      expect(s.correlation).toEqual([[1]]);
    });

    it('monte_carlo with the same seed gives the same distribution', async () => {
      const args = { returns: edhec, paths: 200, steps: 60, seed: 7, method: 'parametric' };
      const a = await mcp.callTool({ name: 'monte_carlo', arguments: args });
      const b = await mcp.callTool({ name: 'monte_carlo', arguments: args });
      expect(a.isError).toBeFalsy();
      expect(a.structuredContent).toEqual(b.structuredContent);
    });

    it('position_size sizes on the session’s own equity when none is given', async () => {
      const r = await mcp.callTool({ name: 'position_size', arguments: { p: 0.6, b: 1, a: 1, fraction: 0.25 } });
      expect(r.isError).toBeFalsy();
      const s = r.structuredContent as { equity: number; stake_usd: number };
      expect(s.equity).toBeGreaterThan(0);
      expect(s.stake_usd).toBeCloseTo(s.equity * 0.05, 6);
    });
  });
});
