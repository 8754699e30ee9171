import type { Api } from './context.js';
import { HttpError } from './errors.js';
import { ownerFilter, type Routes } from './route.js';
import { candlesQuery, decisionsQuery, quoteQuery, runParams, runQuery, tradesQuery } from './schemas.js';

/**
 * The arena as the dashboard reads it (through ArenaSource), the agents, and the market the agents see. The arena
 * is a shared paper competition: every token holder reads its leaderboard, curves and fills (its participants
 * include agents that joined over MCP); anonymous callers read only the market.
 */
export function arenaRoutes(r: Routes, api: Api): void {
  const { arena } = api;

  r.add({
    method: 'GET',
    url: '/v1/leaderboard',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary: 'Leaderboard of the current (or given) arena run: Sharpe, Sortino, max drawdown, PSR, DSR, luck flag',
    query: runQuery,
    responses: { 200: '{ run_id, bar, ts, rows } (run_id null and no rows when no arena has run)' },
    async handler({ query }) {
      return (await arena.leaderboard(query.run)) ?? { run_id: null, bar: 0, ts: 0, rows: [] };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/agents',
    auth: 'reader',
    agentSees: 'itself only',
    tag: 'arena',
    summary: 'Agents: those with an HTTP/MCP token and those in the current arena run (never a token)',
    responses: { 200: '{ agents: [{ agent_id, account_id, created_at, token, arena }] }', 401: 'no token' },
    async handler({ principal }) {
      const owner = ownerFilter(principal);
      const [all, board] = await Promise.all([api.deps.store.agents(), arena.leaderboard()]);
      const registered = owner === null ? all : all.filter((a) => a.agentId === owner);
      const out = new Map<string, Record<string, unknown>>();
      for (const a of registered)
        out.set(a.agentId, {
          agent_id: a.agentId,
          account_id: a.accountId,
          created_at: a.createdAt,
          token: true,
          arena: false,
        });
      for (const row of board?.rows ?? []) {
        if (owner !== null && row.agent_id !== owner) continue;
        const known = out.get(row.agent_id);
        out.set(row.agent_id, {
          agent_id: row.agent_id,
          account_id: known?.account_id ?? null,
          created_at: known?.created_at ?? null,
          token: known !== undefined,
          arena: true,
          family: row.family,
          benchmark: row.benchmark,
        });
      }
      return { agents: [...out.values()] };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/runs',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary: 'Arena runs, newest first',
    responses: { 200: '{ runs }' },
    async handler() {
      return { runs: await arena.runs() };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/runs/:id',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary: 'One arena run with its leaderboard',
    params: runParams,
    responses: { 200: 'the run', 404: 'no such run' },
    async handler({ params }) {
      const run = await arena.run(params.id);
      if (!run) throw new HttpError(404, 'RUN_NOT_FOUND', `RUN_NOT_FOUND: id=${params.id}`);
      return run;
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/equity',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary: "Every agent's equity curve (one point per bar)",
    query: runQuery,
    responses: { 200: '{ curves: [{ agent_id, points: [{ ts, equity }] }] }' },
    async handler({ query }) {
      return { curves: await arena.equityCurves(query.run) };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/trades',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary: 'Fills of the arena run (for trade markers), oldest first',
    query: tradesQuery,
    responses: { 200: '{ trades }' },
    async handler({ query }) {
      const filter = { limit: query.limit, ...(query.agent ? { agentId: query.agent } : {}) };
      return { trades: await arena.trades(query.run, filter) };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/decisions',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary:
      "One agent's decisions, newest first: reason, trace inputs (a debate's transcript), intent, verdict, and each model call's prompt, answer, tokens, cost and latency",
    query: decisionsQuery,
    responses: { 200: '{ decisions: [{ bar, ts, reason, inputs, intent, decision, verdict_id, error, exchanges }] }' },
    async handler({ query }) {
      const decisions = arena.decisions
        ? await arena.decisions(query.run, { agentId: query.agent, limit: query.limit })
        : [];
      return { decisions };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/study',
    auth: 'reader',
    agentSees: 'the whole study (a shared competition)',
    tag: 'arena',
    summary:
      'The study given to serve --study: study.json as arena study wrote it (per agent the verdict, CIs of return and Sharpe, DSR, null control with luck share, LLM spend)',
    responses: { 200: '{ study } (null when the server was started without --study)' },
    async handler() {
      return { study: api.study ?? null };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/arena/prices',
    auth: 'reader',
    agentSees: 'the whole arena (a shared competition)',
    tag: 'arena',
    summary: 'Candles the run trades on, up to its current bar',
    query: runQuery,
    responses: { 200: '{ series: [{ symbol, timeframe_ms, candles }] }' },
    async handler({ query }) {
      return { series: await arena.priceSeries(query.run) };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/market/instruments',
    auth: 'none',
    tag: 'market',
    summary: 'Instruments the market data serves',
    responses: { 200: '{ instruments }' },
    async handler() {
      return { instruments: await api.deps.market.instruments() };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/market/quote',
    auth: 'none',
    tag: 'market',
    summary: 'The reference quote the firewall would judge on now',
    query: quoteQuery,
    responses: { 200: '{ quote }', 404: 'no quote for this symbol' },
    async handler({ query }) {
      const quote = await api.deps.market.quote(query.symbol).catch(() => null);
      if (!quote) throw new HttpError(404, 'QUOTE_MISSING', `QUOTE_MISSING: symbol=${query.symbol}`);
      return { quote };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/market/candles',
    auth: 'none',
    tag: 'market',
    summary: 'Closed candles up to now',
    query: candlesQuery,
    responses: { 200: '{ symbol, timeframe, candles }' },
    async handler({ query }) {
      const candles = await api.deps.market.candles(query.symbol, query.timeframe, query.limit).catch(() => []);
      return { symbol: query.symbol, timeframe: query.timeframe, candles };
    },
  });
}
