import { AreaSeries, ColorType, createChart, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import type { ArenaSnapshot } from '../arena-data.js';
import { byId, fill, h } from '../dom.js';
import { agentColour, dateTime, decisionClass, decisionLabel, num, pct, qty, usd } from '../format.js';

/** One agent in detail: its scores, curve, verdicts by decision and fills. */
export class AgentDrawer {
  private readonly el = byId('drawer');
  private chart: IChartApi | null = null;
  private agent: string | null = null;

  constructor() {
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  get openAgent(): string | null {
    return this.agent;
  }

  close(): void {
    this.agent = null;
    this.chart?.remove();
    this.chart = null;
    this.el.classList.remove('open');
    this.el.setAttribute('aria-hidden', 'true');
  }

  show(agentId: string, data: ArenaSnapshot): void {
    this.agent = agentId;
    const row = data.board.rows.find((r) => r.agent_id === agentId);
    const curve = data.curves.find((c) => c.agent_id === agentId);
    const fills = data.trades
      .filter((t) => t.agent_id === agentId)
      .slice(-30)
      .reverse();
    const colour = agentColour(agentId);
    const stat = (label: string, value: string, tone = '') =>
      h('div', { class: `stat ${tone}` }, h('span', {}, label), h('b', {}, value));
    const chartBox = h('div', { class: 'mini-chart' });
    this.chart?.remove();
    fill(
      this.el,
      h(
        'div',
        { class: 'drawer-head' },
        h('i', { class: 'swatch big', style: `background:${colour}` }),
        h(
          'div',
          {},
          h('h3', { 'data-testid': 'drawer-agent' }, agentId),
          h(
            'span',
            { class: 'muted' },
            row
              ? `${row.family ?? 'agent'}${row.benchmark ? ' · benchmark' : ''} · rank ${row.rank}`
              : 'not in the arena',
          ),
        ),
        h('button', { class: 'x', 'aria-label': 'close', onclick: () => this.close() }, '×'),
      ),
      row
        ? h(
            'div',
            { class: 'stats' },
            stat('Equity', usd(row.equity, 0)),
            stat('Return', pct(row.total_return, 2, true), row.total_return >= 0 ? 'pos' : 'neg'),
            stat('Sharpe', num(row.sharpe)),
            stat('Sortino', num(row.sortino)),
            stat('Max drawdown', pct(row.max_drawdown)),
            stat('PSR', num(row.psr)),
            stat('DSR', num(row.dsr)),
            stat('Verdict', row.luck ? '≈ luck' : 'skill', row.luck ? 'luck' : 'pos'),
          )
        : null,
      chartBox,
      row
        ? h(
            'div',
            { class: 'decisions' },
            Object.entries(row.verdicts).map(([d, n]) =>
              h('span', { class: `pill ${decisionClass(d)}` }, `${decisionLabel(d)} ${n}`),
            ),
          )
        : null,
      h('h4', { class: 'sub-head' }, `Fills (${data.trades.filter((t) => t.agent_id === agentId).length})`),
      h(
        'table',
        { class: 'fills' },
        h(
          'tbody',
          {},
          fills.map((t) =>
            h(
              'tr',
              {},
              h('td', { class: 'muted' }, dateTime(t.ts)),
              h('td', { class: t.side === 'buy' ? 'pos' : 'neg' }, t.side),
              h('td', { class: 'n' }, qty(t.quantity)),
              h('td', { class: 'n' }, usd(t.price)),
            ),
          ),
        ),
      ),
    );
    this.el.classList.add('open');
    this.el.setAttribute('aria-hidden', 'false');
    if (curve && curve.points.length > 1) {
      this.chart = createChart(chartBox, {
        autoSize: true,
        layout: {
          background: { type: ColorType.Solid, color: 'transparent' },
          textColor: '#8b9bbb',
          attributionLogo: false,
        },
        grid: { vertLines: { visible: false }, horzLines: { color: 'rgba(120,140,180,0.07)' } },
        rightPriceScale: { borderVisible: false },
        timeScale: { borderVisible: false },
        handleScroll: false,
        handleScale: false,
      });
      const area = this.chart.addSeries(AreaSeries, {
        lineColor: colour,
        topColor: `${colour}55`,
        bottomColor: `${colour}05`,
        lineWidth: 2,
        priceLineVisible: false,
      });
      area.setData(curve.points.map((p) => ({ time: Math.floor(p.ts / 1000) as UTCTimestamp, value: p.equity })));
      this.chart.timeScale().fitContent();
    }
  }
}
