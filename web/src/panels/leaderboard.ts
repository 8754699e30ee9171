import type { Board, Row } from '../arena-data.js';
import { byId, fill, h } from '../dom.js';
import { agentColour, num, pct, usd } from '../format.js';

type Key = 'rank' | 'equity' | 'total_return' | 'sharpe' | 'sortino' | 'max_drawdown' | 'psr' | 'dsr';

const COLUMNS: { key: Key; label: string; title: string; fmt: (r: Row) => string }[] = [
  { key: 'equity', label: 'Equity', title: 'cash + open P&L', fmt: (r) => usd(r.equity, 0) },
  { key: 'total_return', label: 'Return', title: 'since the run started', fmt: (r) => pct(r.total_return, 2, true) },
  { key: 'sharpe', label: 'Sharpe', title: 'annualised', fmt: (r) => num(r.sharpe) },
  { key: 'sortino', label: 'Sortino', title: 'annualised, downside only', fmt: (r) => num(r.sortino) },
  { key: 'max_drawdown', label: 'Max DD', title: 'deepest peak-to-trough fall', fmt: (r) => pct(-r.max_drawdown, 2) },
  { key: 'psr', label: 'PSR', title: 'P(true Sharpe > 0)', fmt: (r) => num(r.psr) },
  { key: 'dsr', label: 'DSR', title: 'PSR deflated for the number of agents tried', fmt: (r) => num(r.dsr) },
];

/** A stacked bar of the agent's verdicts: allowed, capped, waiting for a human, refused. */
function mixBar(v: Record<string, number>): HTMLElement {
  const parts: [string, number][] = [
    ['allow', v.ALLOW ?? 0],
    ['capped', v.ALLOW_CAPPED ?? 0],
    ['pending', v.PENDING_APPROVAL ?? 0],
    ['pause', v.PAUSE_FOR_REAUTH ?? 0],
    ['reject', v.REJECT ?? 0],
  ];
  const total = parts.reduce((a, [, n]) => a + n, 0);
  const title = parts
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(' · ');
  return h(
    'div',
    { class: 'mixbar', title: title || 'no verdicts yet' },
    total === 0 ? null : parts.filter(([, n]) => n > 0).map(([k, n]) => h('i', { class: k, style: `flex-grow:${n}` })),
  );
}

/** The ranked table. Clicking a header sorts; clicking a row opens the agent. */
export class LeaderboardPanel {
  private readonly table = byId<HTMLTableElement>('leaderboard');
  private sort: { key: Key; dir: 1 | -1 } = { key: 'rank', dir: 1 };
  private board: Board | null = null;
  private previous = new Map<string, number>();

  constructor(private readonly onAgent: (agentId: string) => void) {}

  update(board: Board): void {
    if (this.board) this.previous = new Map(this.board.rows.map((r) => [r.agent_id, r.rank]));
    this.board = board;
    if (board.score_rule)
      byId('score-rule').textContent = `${board.score_rule[0]!.toUpperCase()}${board.score_rule.slice(1)}.`;
    this.draw();
  }

  private sorted(rows: Row[]): Row[] {
    const { key, dir } = this.sort;
    const v = (r: Row) => {
      const x = r[key];
      return typeof x === 'number' && Number.isFinite(x) ? x : Number.NEGATIVE_INFINITY;
    };
    return [...rows].sort((a, b) => (key === 'rank' ? a.rank - b.rank : v(b) - v(a)) * dir);
  }

  private header(): HTMLTableSectionElement {
    const th = (key: Key, label: string, title: string, cls = 'n') =>
      h(
        'th',
        {
          class: `${cls} sortable${this.sort.key === key ? ' sorted' : ''}`,
          title,
          onclick: () => {
            this.sort = { key, dir: this.sort.key === key ? (-this.sort.dir as 1 | -1) : 1 };
            this.draw();
          },
        },
        label,
      );
    return h(
      'thead',
      {},
      h(
        'tr',
        {},
        th('rank', '#', "the arena's rank", 'rank'),
        h('th', { class: 'agent' }, 'Agent'),
        COLUMNS.map((c) => th(c.key, c.label, c.title, `n col-${c.key}`)),
        h('th', { class: 'flag', title: 'deflated Sharpe below 0.95: not distinguishable from luck' }, 'Skill?'),
      ),
    );
  }

  private row(r: Row): HTMLTableRowElement {
    const before = this.previous.get(r.agent_id);
    const moved = before === undefined ? '' : before > r.rank ? 'up' : before < r.rank ? 'down' : '';
    const refused = (r.verdicts.REJECT ?? 0) + (r.verdicts.PAUSE_FOR_REAUTH ?? 0);
    return h(
      'tr',
      { class: `lb-row ${moved}`, 'data-agent': r.agent_id, tabindex: 0, onclick: () => this.onAgent(r.agent_id) },
      h(
        'td',
        { class: 'rank' },
        String(r.rank),
        moved ? h('span', { class: `move ${moved}` }, moved === 'up' ? '▲' : '▼') : null,
      ),
      h(
        'td',
        { class: 'agent' },
        h(
          'div',
          { class: 'agent-cell' },
          h('i', { class: 'swatch', style: `background:${agentColour(r.agent_id)}` }),
          h('span', { class: 'name' }, r.agent_id),
          r.family
            ? h('span', { class: `tag${r.benchmark ? ' bench' : ''}` }, r.benchmark ? 'benchmark' : r.family)
            : null,
        ),
        h('div', { class: 'meta' }, mixBar(r.verdicts), `${r.trades} fills${refused ? ` · ${refused} refused` : ''}`),
        r.model
          ? h(
              'div',
              { class: 'meta model-spend', 'data-testid': 'model-spend', title: `model ${r.model.model}` },
              `${r.model.model} · ${(r.model.input_tokens + r.model.output_tokens).toLocaleString('en-US')} tokens · ${r.model.calls} calls · ${r.model.priced ? usd(r.model.cost_usd, 2) : 'no price'}`,
            )
          : null,
      ),
      COLUMNS.map((c) => {
        const v = c.fmt(r);
        const tone =
          c.key === 'total_return' || c.key === 'sharpe' || c.key === 'sortino'
            ? (r[c.key] ?? 0) > 0
              ? ' pos'
              : (r[c.key] ?? 0) < 0
                ? ' neg'
                : ''
            : '';
        return h('td', { class: `n col-${c.key}${tone}` }, v);
      }),
      h(
        'td',
        { class: 'flag' },
        r.luck
          ? h('span', { class: 'pill luck', title: 'DSR < 0.95: not distinguishable from luck' }, '≈ luck')
          : h('span', { class: 'pill skill', title: 'DSR ≥ 0.95' }, 'skill'),
      ),
    );
  }

  private draw(): void {
    const rows = this.board?.rows ?? [];
    if (rows.length === 0) {
      fill(
        this.table,
        h(
          'tbody',
          {},
          h(
            'tr',
            {},
            h(
              'td',
              { class: 'empty', colspan: 10 },
              'No arena is running. Agents trading through /v1 and MCP still show in the live log.',
            ),
          ),
        ),
      );
      return;
    }
    fill(
      this.table,
      this.header(),
      h(
        'tbody',
        {},
        this.sorted(rows).map((r) => this.row(r)),
      ),
    );
  }
}
