import type { StudySummary } from './summary.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(2)} %`);
const fixed = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '—' : x.toFixed(d));

type Band = (number | null)[];

/** An equity fan: the 5–95 % and 25–75 % bands and the median over the markets, the null's 5–95 % dashed. */
function fanSvg(agent: StudySummary['agents'][number]): string {
  const w = 320;
  const h = 160;
  const m = agent.fan.markets as Record<string, Band>;
  const n = agent.fan.null as Record<string, Band>;
  const all = [...Object.values(m), ...Object.values(n)].flat().filter((v): v is number => v !== null);
  const lo = Math.min(1, ...all);
  const hi = Math.max(1, ...all);
  const span = hi - lo || 1;
  const len = m.p50!.length;
  const x = (k: number) => ((k / (len - 1)) * (w - 10) + 5).toFixed(1);
  const y = (v: number) => (h - 5 - ((v - lo) / span) * (h - 10)).toFixed(1);
  const line = (b: Band) =>
    b
      .map((v, k) => (v === null ? '' : `${x(k)},${y(v)}`))
      .filter(Boolean)
      .join(' ');
  const band = (top: Band, bottom: Band) => {
    const up = top.map((v, k) => (v === null ? '' : `${x(k)},${y(v)}`)).filter(Boolean);
    const down = bottom
      .map((v, k) => (v === null ? '' : `${x(k)},${y(v)}`))
      .filter(Boolean)
      .reverse();
    return [...up, ...down].join(' ');
  };
  return `<svg class="fan" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="equity fan of ${esc(agent.agent)}">
<line x1="5" x2="${w - 5}" y1="${y(1)}" y2="${y(1)}" stroke="#999" stroke-width="0.5"/>
<polygon points="${band(m.p95!, m.p05!)}" fill="#4a78c2" fill-opacity="0.18"/>
<polygon points="${band(m.p75!, m.p25!)}" fill="#4a78c2" fill-opacity="0.35"/>
<polyline points="${line(m.p50!)}" fill="none" stroke="#1f4f9e" stroke-width="1.5"/>
<polyline points="${line(n.p95!)}" fill="none" stroke="#c0392b" stroke-dasharray="3 2" stroke-width="1"/>
<polyline points="${line(n.p05!)}" fill="none" stroke="#c0392b" stroke-dasharray="3 2" stroke-width="1"/>
<text x="6" y="12" font-size="10">${hi.toFixed(3)}</text><text x="6" y="${h - 7}" font-size="10">${lo.toFixed(3)}</text>
</svg>`;
}

/** Horizontal CI bars of mean return: markets (blue) and null control (red), on one shared axis. */
function ciSvg(rows: StudySummary['agents']): string {
  const w = 640;
  const rowH = 22;
  const left = 170;
  const h = rows.length * rowH + 24;
  const values = rows
    .flatMap((r) => [...r.return.ci95, ...r.null_control.return.ci95, r.return.mean])
    .filter((v): v is number => v !== null);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const x = (v: number) => (left + ((v - lo) / span) * (w - left - 10)).toFixed(1);
  const bar = (c: (number | null)[], yy: number, colour: string) =>
    c[0] === null || c[1] === null
      ? ''
      : `<line x1="${x(c[0]!)}" x2="${x(c[1]!)}" y1="${yy}" y2="${yy}" stroke="${colour}" stroke-width="4"/>`;
  const body = rows
    .map((r, i) => {
      const yy = 16 + i * rowH;
      const dot =
        r.return.mean === null ? '' : `<circle cx="${x(r.return.mean)}" cy="${yy - 3}" r="3" fill="#1f4f9e"/>`;
      return `<text x="4" y="${yy + 2}" font-size="11">${esc(r.agent)}</text>${bar(r.return.ci95, yy - 3, '#4a78c2')}${bar(
        r.null_control.return.ci95,
        yy + 3,
        '#c0392b',
      )}${dot}`;
    })
    .join('\n');
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="confidence intervals of mean return">
<line x1="${x(0)}" x2="${x(0)}" y1="0" y2="${h - 18}" stroke="#333" stroke-width="0.6"/>
${body}
<text x="${left}" y="${h - 4}" font-size="10">${pct(lo)}</text><text x="${w - 60}" y="${h - 4}" font-size="10">${pct(hi)}</text>
</svg>`;
}

/** Ranks by run: one row per agent, one cell per market run, darker = better. */
function ranksTable(s: StudySummary): string {
  const n = s.agents.length;
  const runs = s.runs.filter((r) => !r.control);
  const head = runs.map((r) => `<th title="${esc(r.label)}">${r.index + 1}</th>`).join('');
  const body = s.agents
    .map((a, i) => {
      const cells = s.rank_stability.ranks_by_run
        .map((ranks) => {
          const rank = ranks[i]!;
          const shade = n > 1 ? Math.round(235 - (200 * (n - rank)) / (n - 1)) : 120;
          const fg = shade < 130 ? '#fff' : '#000';
          return `<td style="background:rgb(${shade},${shade},255);color:${fg}">${Number.isInteger(rank) ? rank : rank.toFixed(1)}</td>`;
        })
        .join('');
      return `<tr><th>${esc(a.agent)}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="ranks"><tr><th>agent \\ run</th>${head}</tr>\n${body}</table>`;
}

/** A self-contained page (inline SVG and CSS, no script, nothing fetched) for a study's summary. */
export function renderStudy(s: StudySummary): string {
  const st = s.study;
  const rows = s.agents
    .map(
      (a) =>
        `<tr><th>${esc(a.agent)}</th><td>${pct(a.return.mean)}</td><td>[${pct(a.return.ci95[0])}, ${pct(
          a.return.ci95[1],
        )}]</td><td>${fixed(a.sharpe.mean, 2)}</td><td>[${fixed(a.sharpe.ci95[0], 2)}, ${fixed(a.sharpe.ci95[1], 2)}]</td><td>${fixed(
          a.dsr,
        )}</td><td>${pct(a.null_control.return.mean)}</td><td>[${pct(a.null_control.return.ci95[0])}, ${pct(
          a.null_control.return.ci95[1],
        )}]</td><td>${fixed(a.null_control.luck_share, 2)}</td><td>${fixed(a.rank.mean, 2)} ± ${fixed(a.rank.sd, 2)}</td><td class="${
          a.verdict.distinguishable ? 'yes' : 'no'
        }">${a.verdict.distinguishable ? 'yes' : 'no'}</td></tr>`,
    )
    .join('\n');
  const fans = s.agents.map((a) => `<figure><figcaption>${esc(a.agent)}</figcaption>${fanSvg(a)}</figure>`).join('\n');
  const verdicts = s.agents.map((a) => `<li>${esc(a.verdict.line)}</li>`).join('\n');
  const rs = s.rank_stability;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Arbiter arena study</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}th{text-align:left}
td.yes{background:#d5f5d5}td.no{background:#f5dede}figure{display:inline-block;margin:6px}
figcaption{font-weight:600}.ranks td{text-align:center;min-width:18px;font-size:11px}p.rule{max-width:60em}
</style></head><body>
<h1>Arena study</h1>
<p>${st.runs} market runs (${st.seeds} synthetic seeds from ${st.first_seed}, ${st.windows} windows of real candles),
${st.null_runs} null-control runs, ${st.agents} agents, ${st.bars} bars each after ${st.warmup} warm-up bars.
Trials counted for the DSR: ${st.trials} (agents × prompts × runs).</p>
<p class="rule"><b>Verdict rule:</b> ${esc(st.verdict_rule)}.</p>
<p class="rule"><b>Null control:</b> ${esc(st.null_control)}.</p>
<h2>Per agent</h2>
<table><tr><th>agent</th><th>mean return</th><th>95 % CI</th><th>mean Sharpe (ann.)</th><th>95 % CI</th><th>DSR</th>
<th>null mean return</th><th>null 95 % CI</th><th>luck share</th><th>rank (1 = best)</th><th>edge ≠ luck</th></tr>
${rows}</table>
<ul class="verdicts">${verdicts}</ul>
<h2>Confidence intervals of mean return</h2>
<p>Blue: the markets; red: the null control.</p>
${ciSvg(s.agents)}
<h2>Equity fans</h2>
<p>Equity over capital across the market runs: median line, 25–75 % and 5–95 % bands; red dashes: 5 % and 95 % of the
null control.</p>
${fans}
<h2>Rank stability</h2>
<p>Kendall's τ between the return rankings of every pair of runs: markets mean ${fixed(rs.markets.mean_tau)}
(min ${fixed(rs.markets.min_tau)}, max ${fixed(rs.markets.max_tau)}, ${rs.markets.pairs} pairs); null control mean
${fixed(rs.null.mean_tau)} (${rs.null.pairs} pairs). Ranks by market run:</p>
${ranksTable(s)}
</body></html>
`;
}
