import { AreaSeries, ColorType, createChart, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import { type ArenaSnapshot, type Decision, type Exchange, loadDecisions } from '../arena-data.js';
import { byId, fill, h } from '../dom.js';
import { agentColour, dateTime, decisionClass, decisionLabel, num, pct, qty, usd } from '../format.js';

/** One agent in detail: its scores, curve, verdicts by decision and fills. */
export class AgentDrawer {
  private readonly el = byId('drawer');
  private chart: IChartApi | null = null;
  private agent: string | null = null;
  /** The decision details a reader opened (kept open across refreshes). */
  private readonly opened = new Set<string>();
  private decisions: { agent: string; list: Decision[] } | null = null;

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
            row.model ? stat('Model', row.model.model) : null,
            row.model
              ? stat('Tokens', (row.model.input_tokens + row.model.output_tokens).toLocaleString('en-US'))
              : null,
            row.model ? stat('Model cost', row.model.priced ? usd(row.model.cost_usd, 2) : 'no price') : null,
          )
        : null,
      row?.model ? h('h4', { class: 'sub-head' }, 'Decisions (latest first)') : null,
      row?.model ? this.decisionBox(agentId) : null,
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
    if (row?.model) void this.refreshDecisions(agentId);
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

  private decisionBox(agentId: string): HTMLElement {
    const box = h('div', { class: 'llm-decisions', 'data-testid': 'drawer-decisions' });
    if (this.decisions?.agent === agentId)
      fill(
        box,
        this.decisions.list.map((d) => this.decisionView(agentId, d)),
      );
    else fill(box, h('p', { class: 'muted' }, 'loading decisions…'));
    return box;
  }

  private async refreshDecisions(agentId: string): Promise<void> {
    let list: Decision[];
    try {
      list = await loadDecisions(agentId);
    } catch {
      return;
    }
    if (this.agent !== agentId) return;
    this.decisions = { agent: agentId, list };
    const box = this.el.querySelector('[data-testid=drawer-decisions]');
    if (box)
      fill(
        box,
        list.length ? list.map((d) => this.decisionView(agentId, d)) : h('p', { class: 'muted' }, 'no decision yet'),
      );
  }

  private decisionView(agentId: string, d: Decision): HTMLElement {
    const x = d.exchanges;
    const tokens = x.reduce((n, e) => n + e.input_tokens + e.output_tokens, 0);
    const cost = x.reduce((n, e) => n + e.usd, 0);
    const latency = x.reduce((n, e) => n + e.latency_ms, 0);
    const key = `${agentId}:${d.bar}`;
    const transcript = typeof d.inputs?.transcript === 'string' ? d.inputs.transcript : null;
    const details = h(
      'details',
      {
        class: 'llm-details',
        ontoggle: () => {
          if (details.open) this.opened.add(key);
          else this.opened.delete(key);
        },
      },
      h('summary', {}, `Prompt and transcript (${x.length} model call${x.length === 1 ? '' : 's'})`),
      transcript ? h('div', { class: 'llm-part' }, h('b', {}, 'Transcript'), h('pre', {}, transcript)) : null,
      x.map((e) => this.exchangeView(e)),
    );
    if (this.opened.has(key)) details.open = true;
    return h(
      'div',
      { class: 'llm-decision', 'data-testid': 'llm-decision', 'data-bar': d.bar },
      h(
        'div',
        { class: 'llm-head' },
        h('span', { class: 'muted' }, dateTime(d.ts)),
        d.verdict_id
          ? h('span', { class: `pill ${decisionClass(d.decision)}` }, decisionLabel(d.decision))
          : h('span', { class: 'pill' }, 'no trade'),
      ),
      h('p', { class: 'llm-reason', 'data-testid': 'llm-reason' }, d.reason ?? ''),
      d.error ? h('p', { class: 'neg llm-error' }, d.error) : null,
      h(
        'p',
        { class: 'muted llm-facts', 'data-testid': 'llm-facts' },
        `${tokens.toLocaleString('en-US')} tokens · ${usd(cost, 2)} · ${latency.toLocaleString('en-US')} ms`,
      ),
      details,
    );
  }

  private exchangeView(e: Exchange): HTMLElement {
    const who = `${e.role ? `${e.role} · ` : ''}${e.model}${e.attempt > 0 ? ` · attempt ${e.attempt + 1}` : ''}`;
    return h(
      'div',
      { class: 'llm-part', 'data-testid': 'llm-exchange' },
      h('b', {}, `${who} — ${e.input_tokens + e.output_tokens} tokens · ${usd(e.usd, 2)} · ${e.latency_ms} ms`),
      h('pre', { class: 'llm-system' }, e.system),
      h('pre', { class: 'llm-user', 'data-testid': 'llm-prompt' }, e.user),
      e.turns?.length ? h('pre', {}, JSON.stringify(e.turns, null, 1)) : null,
      e.answer !== null ? h('pre', { class: 'llm-answer' }, e.answer) : null,
      e.tool_calls?.length ? h('pre', {}, JSON.stringify(e.tool_calls, null, 1)) : null,
      e.error ? h('p', { class: 'neg' }, e.error) : null,
    );
  }
}
