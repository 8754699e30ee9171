import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LeaderboardRow } from '../../core/arena/index.js';
import type { ReportData } from './report-data.js';
import { REPORT_SCRIPT } from './report-script.js';
import type { SessionsReport } from './stock-source.js';

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Fixed decimals, or a dash for what could not be computed. */
function num(x: unknown, digits = 2, scale = 1): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x === Number.POSITIVE_INFINITY ? '∞' : '—';
  return (x * scale).toFixed(digits);
}

const pct = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? `${num(x, 1, 100)}%` : '—');

function chartLibrary(): string {
  // The package exports only its ESM entry; the standalone build sits beside package.json.
  const pkg = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
  const path = join(dirname(pkg), 'dist', 'lightweight-charts.standalone.production.js');
  return readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
}

/** Line colours, by leaderboard position (the table's swatches and the charts' lines agree). */
const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#7c3aed',
  '#ca8a04',
  '#0f766e',
  '#be123c',
  '#4f46e5',
  '#15803d',
  '#b45309',
  '#0369a1',
  '#a21caf',
  '#475569',
];

/** Tokens and cost of an agent's model calls (LLM agents), '—' for agents without a model. */
function spend(r: LeaderboardRow): string {
  const m = r.model;
  if (!m) return '—';
  const cost = m.priced ? `$${m.cost_usd.toFixed(4)}` : 'no price';
  return `${m.input_tokens + m.output_tokens} tokens · ${m.calls} calls · ${cost}`;
}

function row(r: LeaderboardRow, i: number, positive: Record<string, number> | undefined, withModel: boolean): string {
  const swatch = `<span class="sw" style="background:${PALETTE[i % PALETTE.length]}"></span>`;
  const cells = [
    r.rank,
    `${swatch}<b>${esc(r.agent)}</b>${r.benchmark ? ' <span class="tag">benchmark</span>' : ''}`,
    esc(r.family),
    num(r.dsr, 3),
    r.luck ? '<span class="luck">not distinguishable from luck</span>' : '<span class="skill">significant</span>',
    `${num(r.sharpe)} <small>[${num(r.sharpe_ci.lo)}, ${num(r.sharpe_ci.hi)}]</small>`,
    num(r.sortino),
    num(r.calmar),
    pct(r.total_return),
    pct(r.cagr),
    pct(r.volatility),
    pct(r.max_drawdown),
    pct(r.win_rate),
    num(r.profit_factor),
    num(r.turnover, 1),
    num(r.fees, 0),
    num(r.funding, 0),
    r.fills,
    num(r.psr, 3),
    num(r.min_trl_bars, 0),
    pct(r.var_95),
    pct(r.es_95),
    `${pct(r.mc_drawdown.p50)} / ${pct(r.mc_drawdown.p95)}`,
    positive ? pct(positive[r.agent]) : '—',
    ...(withModel ? [spend(r)] : []),
  ];
  return `<tr class="${r.luck ? 'is-luck' : ''}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

const HEAD = [
  '#',
  'agent',
  'family',
  'DSR',
  'verdict',
  'Sharpe [95% CI]',
  'Sortino',
  'Calmar',
  'return',
  'CAGR',
  'vol',
  'max DD',
  'win rate',
  'profit factor',
  'turnover',
  'fees',
  'funding',
  'fills',
  'PSR',
  'MinTRL (bars)',
  'VaR 95% (bar)',
  'ES 95% (bar)',
  'MC max DD p50 / p95',
  'WF folds > 0',
];

/** The calendar line of a market that trades in sessions (run.json `sessions`): the closed days the run crossed. */
function sessionsLine(s: SessionsReport | undefined): string {
  if (!s) return '';
  const closed = s.gaps.flatMap((g) => g.closed);
  const weekends = closed.filter((c) => c.why === 'weekend').length;
  const named = closed.filter((c) => c.why !== 'weekend').map((c) => `${c.date} (${c.why})`);
  const early = s.early_closes.length ? ` · early closes (13:00): ${s.early_closes.join(', ')}` : '';
  return `<div class="meta">calendar <b>${esc(s.exchange)}</b> (${esc(s.calendar)}, ${esc(s.time_zone)}) · ${s.sessions} sessions, spot only · ${esc(s.decision)} · closed days crossed: ${weekends} weekend days${named.length ? `, ${esc(named.join(', '))}` : ''}${esc(early)}</div>`;
}

/** The self-contained report: one HTML file, the chart library and the data inlined, no network access. */
export function renderReport(d: ReportData): string {
  const withModel = d.board.rows.some((r) => r.model !== undefined);
  const b = d.board;
  const run = d.run as { config?: Record<string, unknown>; data?: Record<string, unknown>; sessions?: SessionsReport };
  const wf = 'error' in b.walk_forward ? undefined : b.walk_forward;
  const pbo =
    'error' in b.pbo
      ? `PBO: ${esc(b.pbo.error)}`
      : `PBO (CSCV, S = ${b.pbo.partitions}, ${b.pbo.combinations} splits): <b>${num(b.pbo.pbo, 3)}</b>`;
  const alloc = 'error' in b.allocation ? null : b.allocation;
  const data = JSON.stringify({
    palette: PALETTE,
    board: b,
    candles: d.candles,
    curves: d.curves,
    trades: d.trades,
    timeframeSeconds: d.timeframeSeconds,
  });
  const options = b.rows.map((r) => `<option value="${esc(r.agent)}">${esc(r.agent)}</option>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Arbiter arena report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2937;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#475569}.chart{height:340px;border:1px solid #e2e8f0;border-radius:6px}
table{border-collapse:collapse;font-size:12.5px;width:100%}th,td{padding:4px 6px;border-bottom:1px solid #e2e8f0;text-align:right;white-space:nowrap}
th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3),td:nth-child(5){text-align:left}
.luck{color:#b45309}.skill{color:#15803d;font-weight:600}.is-luck td{background:#fffbeb}
.scroll{overflow-x:auto}.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.tag{font-size:11px;background:#e2e8f0;border-radius:3px;padding:0 4px}small{color:#64748b}
</style></head><body>
<h1>Arbiter arena</h1>
<div class="meta">source <b>${esc(run.data?.source)}</b> · ${esc(run.data?.first_ts)} → ${esc(run.data?.last_ts)} · ${b.observations} bars · ${b.trials} trials · seed ${esc(run.config?.seed)} · capital ${esc(run.config?.capital)} per agent · data ${esc(run.data?.sha256)}</div>${sessionsLine(run.sessions)}
<h2>Leaderboard</h2>
<p class="meta">Score: ${esc(b.score_rule)}. Flag: ${esc(b.luck_rule)}. Trials N = ${b.trials}; variance of the trials' per-bar Sharpe ratios V = ${num(b.sharpe_variance, 8)}; the best of N luck-only trials would show a per-bar Sharpe of ${num(b.expected_max_sharpe, 5)}.
${pbo}. ${wf ? `Walk-forward (${wf.folds} folds): mean rank correlation between consecutive folds ${num(wf.mean_rank_correlation, 3)}.` : ''}</p>
<div class="scroll"><table><thead><tr>${[...HEAD, ...(withModel ? ['model spend'] : [])].map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${b.rows.map((r, i) => row(r, i, wf?.positive_fraction, withModel)).join('\n')}
</tbody></table></div>
<h2>Price and trades</h2>
<p>Trades of <select id="agent">${options}</select> <span id="trade-count" class="meta"></span> <span class="meta">(▲ buy, ▼ sell, P = perpetual)</span></p>
<div id="price-chart" class="chart" style="height:400px"></div>
<h2>Equity</h2><div id="equity-chart" class="chart"></div>
<h2>Drawdown (%)</h2><div id="drawdown-chart" class="chart"></div>
<h2>Allocation: trust allocator vs equal weight</h2>
${
  alloc
    ? `<p class="meta">${esc(alloc.method)}. Out of sample: trust ${pct(alloc.trust.total_return)} (Sharpe ${num(alloc.trust.sharpe)}, max DD ${pct(alloc.trust.max_drawdown)}) vs equal ${pct(alloc.equal.total_return)} (Sharpe ${num(alloc.equal.sharpe)}, max DD ${pct(alloc.equal.max_drawdown)}).</p><div id="allocation-chart" class="chart"></div>`
    : `<p class="meta">${esc('error' in b.allocation ? b.allocation.error : '')}</p>`
}
<script>${chartLibrary()}</script>
<script type="application/json" id="arena-data">${data.replace(/</g, '\\u003c')}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}
