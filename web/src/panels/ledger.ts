import type { Certificate } from '../../../src/core/cert/certificate.js';
import { errorText, get, tokens } from '../api.js';
import { byId, fill, h, throttle } from '../dom.js';
import { dateTime, short, time } from '../format.js';
import { openModal } from './modal.js';

interface LedgerRecord {
  seq: number;
  ts: number;
  kind: string;
  ref: string;
  body: string;
  prev_hash: string;
  hash: string;
}

interface Page {
  records: LedgerRecord[];
  next_before: number | null;
  head: { count: number; head_hash: string };
}

interface Report {
  ok: boolean;
  count: number;
  head: string;
  checkpoints: number;
  problems: { seq: number | null; problem: string }[];
  ms: number;
}

const PAGE = 12;

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The hash chain, newest first, with the chain check; a verdict record opens in the verifier. */
export class LedgerPanel {
  private readonly root = byId('ledger');
  private readonly status = h('div', { class: 'chain', 'data-testid': 'chain-status' });
  private readonly table = h('table', { class: 'ledger', 'data-testid': 'ledger-table' });
  private readonly pager = h('div', { class: 'row pager' });
  private before: number | null = null;
  private history: (number | null)[] = [];
  /** New records: the first page is read again, and the chain checked again (less often: it walks the chain). */
  private readonly reverify = throttle(() => void this.verify(true), 5_000);
  readonly refresh = throttle(() => {
    if (this.before === null) void this.load().catch(() => undefined);
    this.reverify();
  }, 1_500);

  constructor(private readonly toVerifier: (cert: Certificate) => void) {
    fill(this.root, this.status, h('div', { class: 'table-wrap' }, this.table), this.pager);
    fill(this.status, h('span', { class: 'muted' }, 'Checking the chain…'));
  }

  /** The ledger holds every agent's records: only the operator reads it (an agent reads its own verdicts). */
  private operatorOnly(): boolean {
    if (tokens.admin) return false;
    fill(
      this.status,
      h('span', { class: 'muted' }, 'The ledger holds every agent’s records: sign in with the admin token to read it.'),
    );
    return true;
  }

  /** Walks the chain on the server; `quiet` keeps the last result on screen until the new one arrives. */
  async verify(quiet = false): Promise<void> {
    if (this.operatorOnly()) return;
    if (!quiet) fill(this.status, h('span', { class: 'muted' }, 'Walking the chain…'));
    try {
      const r = await get<Report>('/v1/ledger/verify');
      fill(
        this.status,
        h(
          'span',
          { class: `chain-badge ${r.ok ? 'ok' : 'bad'}`, 'data-ok': String(r.ok) },
          r.ok ? '✓ chain intact' : '✕ chain broken',
        ),
        h(
          'span',
          { 'data-testid': 'chain-verified' },
          `${r.count.toLocaleString()} records verified at ${time(Date.now())} · ${r.checkpoints} signed checkpoints · ${r.ms} ms`,
        ),
        h('span', { class: 'mono muted', title: r.head }, `head ${short(r.head, 16)}`),
        r.problems.length
          ? h(
              'span',
              { class: 'error' },
              r.problems
                .slice(0, 2)
                .map((p) => `#${p.seq}: ${p.problem}`)
                .join('; '),
            )
          : null,
        h('button', { type: 'button', class: 'btn ghost small', onclick: () => void this.verify() }, 'Re-verify'),
      );
    } catch (e) {
      fill(this.status, h('span', { class: 'error' }, errorText(e)));
    }
  }

  async load(before: number | null = null): Promise<void> {
    if (this.operatorOnly()) return;
    const q = `/v1/ledger?order=desc&limit=${PAGE}${before ? `&before=${before}` : ''}`;
    const page = await get<Page>(q);
    this.before = before;
    fill(
      this.table,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'n' }, 'seq'),
          h('th', {}, 'time'),
          h('th', {}, 'kind'),
          h('th', {}, 'ref'),
          h('th', {}, 'hash'),
        ),
      ),
      h(
        'tbody',
        {},
        page.records.map((r) =>
          h(
            'tr',
            { class: `rec ${r.kind}`, 'data-seq': r.seq, tabindex: 0, onclick: () => this.open(r) },
            h('td', { class: 'n mono' }, String(r.seq)),
            h('td', { class: 'muted' }, dateTime(r.ts)),
            h('td', {}, h('span', { class: `kind ${r.kind}` }, r.kind)),
            h('td', { class: 'mono' }, short(r.ref, 22)),
            h('td', { class: 'mono muted', title: r.hash }, short(r.hash, 12)),
          ),
        ),
      ),
    );
    fill(
      this.pager,
      h(
        'button',
        { type: 'button', class: 'btn ghost small', disabled: before === null, onclick: () => void this.load(null) },
        '⟲ newest',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn ghost small',
          disabled: this.history.length === 0,
          onclick: () => void this.load(this.history.pop() ?? null),
        },
        '← newer',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn ghost small',
          disabled: page.next_before === null,
          onclick: () => {
            this.history.push(before);
            void this.load(page.next_before);
          },
        },
        'older →',
      ),
      h('span', { class: 'muted small', 'data-testid': 'ledger-count' }, `${page.head.count.toLocaleString()} records`),
    );
    if (before === null) this.history = [];
  }

  private open(r: LedgerRecord): void {
    const body = parse(r.body);
    const isCert = r.kind === 'verdict' && typeof body === 'object' && body !== null && 'signature' in body;
    const close = openModal(
      `Ledger record #${r.seq}`,
      h(
        'div',
        { class: 'stack' },
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, 'kind'),
          h('dd', {}, r.kind),
          h('dt', {}, 'ref'),
          h('dd', { class: 'mono' }, r.ref),
          h('dt', {}, 'time'),
          h('dd', {}, dateTime(r.ts)),
          h('dt', {}, 'prev hash'),
          h('dd', { class: 'mono wrap' }, r.prev_hash),
          h('dt', {}, 'hash'),
          h('dd', { class: 'mono wrap' }, r.hash),
        ),
        h('pre', { class: 'json' }, JSON.stringify(body, null, 2)),
        isCert
          ? h(
              'div',
              { class: 'row end' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn primary',
                  onclick: () => {
                    close();
                    this.toVerifier(body as Certificate);
                  },
                },
                'Verify in browser →',
              ),
            )
          : null,
      ),
    );
  }
}
