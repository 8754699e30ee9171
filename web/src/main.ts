import './styles.css';
import type { Certificate } from '../../src/core/cert/certificate.js';
import { errorText, get, signedIn } from './api.js';
import { type ArenaSnapshot, loadArena } from './arena-data.js';
import { byId, fill, h, throttle } from './dom.js';
import { dateTime, setAgentRoster, usd } from './format.js';
import { AdminGate } from './panels/admin.js';
import { ApprovalsPanel } from './panels/approvals.js';
import { EquityChart, PriceChart } from './panels/charts.js';
import { ConsolePanel } from './panels/console.js';
import { AgentDrawer } from './panels/drawer.js';
import { Header } from './panels/header.js';
import { LeaderboardPanel } from './panels/leaderboard.js';
import { LedgerPanel } from './panels/ledger.js';
import { LogPanel } from './panels/log.js';
import { RiskPanel } from './panels/risk.js';
import { StudyPanel } from './panels/study.js';
import { toast } from './panels/toast.js';
import { VerifierPanel } from './panels/verifier.js';
import { Stream } from './stream.js';

const admin = new AdminGate();
const header = new Header(admin);
header.onSummary = () => drawMarkets();
const drawer = new AgentDrawer();
const verifier = new VerifierPanel();
const firewallConsole = new ConsolePanel((cert) => verifier.open(cert));
const ledger = new LedgerPanel((cert) => verifier.open(cert));
const approvals = new ApprovalsPanel(admin, () => void header.refresh());
const equity = new EquityChart();
const price = new PriceChart();
let arena: ArenaSnapshot | null = null;
const board = new LeaderboardPanel((agentId) => {
  if (arena) drawer.show(agentId, arena);
});
const log = new LogPanel((verdictId) => void openVerdict(verdictId));
const risk = new RiskPanel();
const study = new StudyPanel();

async function openVerdict(id: string): Promise<void> {
  try {
    const cert = await get<Certificate>(`/v1/verdicts/${encodeURIComponent(id)}`);
    firewallConsole.show(cert, { source: 'from the live log' });
    verifier.open(cert);
  } catch (e) {
    toast(errorText(e), 'bad');
  }
}

async function drawArena(): Promise<void> {
  arena = await loadArena();
  setAgentRoster(arena.board.rows.map((r) => r.agent_id));
  board.update(arena.board);
  equity.update(arena.curves);
  price.update(arena.series, arena.trades);
  const run = arena.run;
  byId('run-info').textContent = run
    ? `${run.id} · ${run.market} · ${run.agents} agents · ${run.status}`
    : 'no arena run';
  header.setArena(run ? `${run.bars_done.toLocaleString()} / ${run.bars_total.toLocaleString()}` : '');
  drawArenaMandate();
  drawMarkets();
  if (drawer.openAgent) drawer.show(drawer.openAgent, arena);
}

const span = (from: number | undefined, to: number | undefined) =>
  from === undefined || to === undefined ? '' : `${dateTime(from)} → ${dateTime(to)}`;

/**
 * Names the market each chart and the console show: the arena replays its own candles (often past ones), the
 * console is judged on the firewall's market now. The two can differ in price and in date.
 */
function drawMarkets(): void {
  const firewallMarket = header.market;
  byId('console-market').textContent = firewallMarket ? `prices from ${firewallMarket}, now` : '';
  const run = arena?.run ?? null;
  const s = price.shown;
  const priceCaption = byId('price-market');
  if (!arena || !s) {
    priceCaption.textContent = '';
  } else if (arena.seriesFrom === 'firewall') {
    priceCaption.textContent = `The firewall's market${firewallMarket ? ` (${firewallMarket})` : ''}: ${s.symbol}, ${span(s.candles[0]?.ts, s.candles.at(-1)?.ts)} — the prices the console judges on.`;
  } else {
    const same = run && firewallMarket && run.market === firewallMarket;
    priceCaption.textContent = `Arena replay${run ? ` (run ${run.id}, ${run.market})` : ''}: ${s.symbol}, ${span(s.candles[0]?.ts, s.candles.at(-1)?.ts)}${
      firewallMarket
        ? same
          ? ' — the same market data the console judges on.'
          : ` — not the console's market (${firewallMarket}).`
        : '.'
    }`;
  }
  priceCaption.dataset.source = arena?.seriesFrom ?? '';
  const points = arena?.curves.flatMap((c) => c.points) ?? [];
  const first = points.length ? Math.min(...points.map((p) => p.ts)) : undefined;
  const last = points.length ? Math.max(...points.map((p) => p.ts)) : undefined;
  byId('equity-market').textContent = run
    ? `Arena run ${run.id} on ${run.market}: ${span(first, last)}`
    : 'No arena run.';
}

/** Which mandate the running arena trades under, and whether the kill switch stops it (global or its venue). */
function drawArenaMandate(): void {
  const el = byId('arena-mandate');
  const run = arena?.run;
  const m = run?.mandate;
  el.hidden = !m;
  if (!run || !m) return;
  const venue = run.venue ?? 'arena';
  const stop = header.halts?.scopes.find((x) => x.scope === 'global' || x.scope === `venue:${venue}`);
  fill(
    el,
    h('span', { class: 'label' }, `arena trades on venue ${venue} under `),
    h('b', { 'data-testid': 'arena-mandate-source' }, m.source),
    m.ok
      ? [
          h('span', { class: 'mono', title: m.hash ?? '' }, ` ${(m.hash ?? '').slice(0, 19)}…`),
          ` · ≤ ${usd(m.per_order_usd, 0)} per order · exposure ≤ ${usd(m.max_exposure_usd, 0)} · leverage ≤ ${m.max_leverage}`,
          ` · flatten_on_halt ${m.flatten_on_halt ? 'on' : 'off'}`,
        ]
      : h('span', { class: 't-reject' }, ` — unusable, the arena trades nothing: ${m.problem}`),
    stop ? h('span', { class: 'pill reject solid', 'data-testid': 'arena-halted' }, `HALTED (${stop.scope})`) : null,
  );
}

const refreshArena = throttle(() => void drawArena().catch(() => undefined), 1_000);

const stream = new Stream((live) => header.setLive(live));
stream.on((e) => {
  log.onEvent(e);
  header.onEvent(e);
  switch (e.type) {
    case 'leaderboard':
      refreshArena();
      break;
    case 'approval':
      approvals.refresh();
      break;
    case 'halt':
      void header.refresh().then(drawArenaMandate, () => undefined);
      break;
    default:
      break;
  }
  if (e.type === 'verdict' || e.type === 'approval' || e.type === 'halt') ledger.refresh();
});

/** Signed out, the page asks for a token instead of calling routes that would answer 401. */
function signInNotice(): void {
  const notice = document.createElement('div');
  notice.className = 'signin-banner';
  notice.dataset.testid = 'signin-banner';
  notice.textContent =
    'Sign in to see the arena, the ledger, approvals and live events: the admin token shows everything, an agent token what is that agent’s. ';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn primary small';
  button.dataset.testid = 'signin';
  button.textContent = 'Sign in';
  button.onclick = () =>
    void admin.prompt().then(() => {
      if (signedIn()) location.reload();
    });
  notice.append(button);
  byId('tiles').before(notice);
}

async function start(): Promise<void> {
  if (!signedIn()) {
    signInNotice();
    void risk.refresh();
    document.body.dataset.ready = '1';
    return;
  }
  const results = await Promise.allSettled([
    header.refresh(),
    drawArena(),
    approvals.load(),
    ledger.load(),
    ledger.verify(),
    risk.refresh(),
    study.refresh(),
  ]);
  for (const r of results) if (r.status === 'rejected') toast(errorText(r.reason), 'bad');
  drawArenaMandate();
  stream.start(100);
  document.body.dataset.ready = '1';
}

void start();
