import { ArbiterHttpError, asAgent, errorText, tokens } from '../api.js';
import { fill, h } from '../dom.js';
import { num, pct } from '../format.js';

interface VarAnswer {
  readonly var: number;
  readonly es: number;
  readonly observations: number;
  readonly symbols: string[];
  readonly weights: number[];
}
interface PortfolioAnswer {
  readonly var: number;
  readonly es: number;
  readonly symbols: string[];
  readonly componentVar: number[];
  readonly correlation: number[][];
  readonly hhi: number;
}
interface Band {
  readonly mean: number;
  readonly quantiles: { q: number; value: number }[];
}
interface MonteCarloAnswer {
  readonly maxDrawdown: Band;
  readonly probabilityOfRuin: number;
  readonly paths: number;
  readonly steps: number;
}

/** Blue for negative, red for positive correlation, stronger with |ρ|. */
function heat(rho: number): string {
  const a = Number.isFinite(rho) ? Math.min(1, Math.abs(rho)) : 0;
  return rho >= 0 ? `rgba(220,38,38,${a.toFixed(2)})` : `rgba(37,99,235,${a.toFixed(2)})`;
}

/**
 * The risk of the book of the agent whose token is typed into the firewall console (the risk routes answer an
 * agent only): historical VaR and ES of the book's hourly return, the gaussian portfolio VaR with each symbol's
 * component, the correlation heat map and a Monte Carlo drawdown band. A card of its own, appended to the grid.
 */
export class RiskPanel {
  private readonly body = h('div', { id: 'risk', 'data-testid': 'risk' });

  constructor(grid: Element | null = document.querySelector('main.grid')) {
    const head = h(
      'div',
      { class: 'card-head' },
      h('h2', {}, 'Risk of your book'),
      h('button', { type: 'button', class: 'btn ghost small', onclick: () => void this.refresh() }, 'Refresh'),
    );
    grid?.append(h('section', { class: 'card span-6', id: 'risk-card' }, head, this.body));
  }

  async refresh(): Promise<void> {
    if (!tokens.agent) {
      fill(
        this.body,
        h(
          'p',
          { class: 'hint' },
          'Sign in with an agent token, or type one into the firewall console and press Refresh, to see that agent’s book here.',
        ),
      );
      return;
    }
    const agent = asAgent();
    try {
      const [v, p, mc] = await Promise.all([
        agent.request<VarAnswer>('POST', '/v1/risk/var', { method: 'historical', confidence: 0.95 }),
        agent.request<PortfolioAnswer>('POST', '/v1/risk/portfolio', { confidence: 0.95 }),
        agent.request<MonteCarloAnswer>('POST', '/v1/risk/monte-carlo', { paths: 1_000, steps: 250, seed: 1 }),
      ]);
      this.draw(v, p, mc);
    } catch (e) {
      const empty = e instanceof ArbiterHttpError && e.code === 'NO_POSITIONS';
      fill(
        this.body,
        h('p', { class: 'hint' }, empty ? 'Your book is empty: no position, no order in flight.' : errorText(e)),
      );
    }
  }

  private draw(v: VarAnswer, p: PortfolioAnswer, mc: MonteCarloAnswer): void {
    const q = (level: number) => mc.maxDrawdown.quantiles.find((x) => x.q === level)?.value ?? Number.NaN;
    const figures = h(
      'p',
      { 'data-testid': 'risk-figures' },
      `95 % one-bar VaR ${pct(v.var)} · ES ${pct(v.es)} (historical, ${v.observations} hourly returns) · gaussian VaR ${pct(p.var)} · HHI ${num(p.hhi)}`,
    );
    const band = h(
      'p',
      { 'data-testid': 'risk-band' },
      `Max drawdown over ${mc.steps} bars (${mc.paths} seeded bootstrap paths): median ${pct(q(0.5))}, 5–95 % ${pct(q(0.05))} – ${pct(q(0.95))} · P(equity ≤ ½) ${pct(mc.probabilityOfRuin)}`,
    );
    const rows = p.symbols.map((s, i) =>
      h(
        'tr',
        {},
        h('th', {}, s),
        p.correlation[i]!.map((rho) =>
          h('td', { class: 'heat', style: `background:${heat(rho)}`, title: num(rho) }, num(rho)),
        ),
        h('td', { title: 'component of the gaussian VaR' }, pct(p.componentVar[i])),
      ),
    );
    const table = h(
      'table',
      { class: 'board', 'data-testid': 'risk-heatmap' },
      h(
        'tr',
        {},
        h('th', {}, ''),
        p.symbols.map((s) => h('th', {}, s)),
        h('th', {}, 'VaR part'),
      ),
      rows,
    );
    fill(this.body, figures, band, h('div', { class: 'table-wrap' }, table));
  }
}
