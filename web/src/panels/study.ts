import { errorText, get } from '../api.js';
import { fill, h } from '../dom.js';
import { num, pct } from '../format.js';

type Ci = [number | null, number | null];

/** The fields of study.json (`arena study`) this panel shows, as `GET /v1/arena/study` serves them. */
export interface StudyAgentRow {
  readonly agent: string;
  readonly return: { mean: number | null; ci95: Ci };
  readonly sharpe: { mean: number | null; ci95: Ci };
  readonly dsr: number | null;
  readonly null_control: { luck_share: number | null };
  readonly verdict: { distinguishable: boolean; line: string };
  /** Absent in a study.json written before LLM spend was recorded. */
  readonly llm?: {
    model: string;
    calls: number;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number | null;
    cost_per_run_usd: number | null;
    priced: boolean;
  } | null;
}

export interface StudyDoc {
  readonly study: { runs: number; null_runs: number; trials: number; verdict_rule: string };
  readonly agents: StudyAgentRow[];
}

const ints = new Intl.NumberFormat('en-US');

/** A mean and its 95 % CI, as the panel writes them: `+1.23% [−0.40%, +2.80%]`. */
export const withCi = (f: (x: number | null) => string, v: { mean: number | null; ci95: Ci }) =>
  `${f(v.mean)} [${f(v.ci95[0])}, ${f(v.ci95[1])}]`;

/** An LLM agent's spend over the study, or what a rule-based agent spends: nothing. */
export function spendText(llm: StudyAgentRow['llm']): string {
  if (!llm) return 'no model (rule-based)';
  const cost = llm.priced && llm.cost_usd !== null ? `$${llm.cost_usd.toFixed(4)}` : 'no price';
  return `${llm.model} · ${cost} · ${ints.format(llm.input_tokens + llm.output_tokens)} tokens · ${ints.format(llm.calls)} calls`;
}

const stat = (label: string, testid: string, value: string, title?: string) =>
  h('div', { class: 'stat' }, h('span', {}, label), h('b', { 'data-testid': testid, title: title ?? null }, value));

/**
 * The study given to `serve --study`: per agent the verdict ("edge distinguishable from luck at 95 %"), the mean
 * and 95 % bootstrap CI of run return and annualised Sharpe, the DSR, the luck share (null runs that reached the
 * agent's mean return) and the model spend. A card under the leaderboard, shown only when there is a study.
 */
export class StudyPanel {
  private readonly body = h('div', { id: 'study', 'data-testid': 'study' });
  private readonly sub = h('span', { class: 'sub', 'data-testid': 'study-info' });
  private readonly rule = h('p', { class: 'hint', 'data-testid': 'study-rule' });
  private readonly card: HTMLElement;

  constructor(after: Element | null = document.getElementById('log-card')) {
    const head = h('div', { class: 'card-head' }, h('h2', {}, 'Study: edge or luck?'), this.sub);
    this.card = h('section', { class: 'card span-12', id: 'study-card', hidden: true }, head, this.body, this.rule);
    after?.after(this.card);
  }

  async refresh(): Promise<void> {
    let doc: StudyDoc | null;
    try {
      doc = (await get<{ study: StudyDoc | null }>('/v1/arena/study')).study;
    } catch (e) {
      this.card.hidden = false;
      fill(this.body, h('p', { class: 'hint' }, `The study could not be read: ${errorText(e)}`));
      return;
    }
    this.card.hidden = doc === null;
    if (doc) this.draw(doc);
  }

  private draw(doc: StudyDoc): void {
    const s = doc.study;
    this.sub.textContent = `${ints.format(s.runs)} market runs · ${ints.format(s.null_runs)} null-control runs · ${ints.format(s.trials)} trials`;
    this.rule.textContent = `Verdict: ${s.verdict_rule}. Luck share: the share of null-control runs whose return reached the agent's mean return on the markets. Model spend: over every run, markets and null control.`;
    fill(
      this.body,
      doc.agents.map((a) =>
        h(
          'div',
          { class: 'study-agent', 'data-agent': a.agent, 'data-testid': 'study-agent' },
          h(
            'div',
            { class: 'study-name' },
            h('b', { class: 'name' }, a.agent),
            h(
              'span',
              {
                class: `pill ${a.verdict.distinguishable ? 'skill' : 'luck'}`,
                'data-testid': 'study-verdict',
                title: a.verdict.line,
              },
              a.verdict.distinguishable ? 'edge: yes' : 'edge: no',
            ),
          ),
          h(
            'div',
            { class: 'stats study-stats' },
            stat(
              'Return, 95 % CI',
              'study-return',
              withCi((x) => pct(x, 2, true), a.return),
            ),
            stat(
              'Sharpe, 95 % CI',
              'study-sharpe',
              withCi((x) => num(x, 2), a.sharpe),
            ),
            stat('DSR', 'study-dsr', num(a.dsr, 3)),
            stat('Luck share', 'study-luck', pct(a.null_control.luck_share, 0)),
            stat('Model spend', 'study-spend', spendText(a.llm ?? null)),
          ),
        ),
      ),
    );
  }
}
