import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterColours } from '../../web/src/colours.js';
import { call } from '../http/support/call.js';
import { type Harness, startHarness } from '../http/support/harness.js';
import { cli } from '../support/cli.js';
import { freePort } from '../support/mcp.js';
import { CHROMIUM_ARGS as ARGS, CHROMIUM } from './support/chromium.js';
import { ensureWebBuild } from './support/web-build.js';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts');
const LAPTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
/** 5 agents of the test arena + 17 momentum agents (momentum-2, momentum-20, momentum-200, …). */
const EXTRA = 17;
/** Per test: a loaded 2-core machine renders slowly (the waits inside are on conditions, never on time). */
const SLOW = 120_000;

const rgb = (hex: string) =>
  `rgb(${Number.parseInt(hex.slice(1, 3), 16)}, ${Number.parseInt(hex.slice(3, 5), 16)}, ${Number.parseInt(hex.slice(5, 7), 16)})`;

/** Every pair of visible children of `selector`'s matches whose boxes overlap (a badge over a name). */
function overlaps(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const parent of document.querySelectorAll(sel)) {
      if (parent.getClientRects().length === 0) continue;
      const kids = [...parent.children].filter((k) => k.getClientRects().length > 0);
      const boxes = kids.map((k) => k.getBoundingClientRect());
      const p = parent.getBoundingClientRect();
      boxes.forEach((b, i) => {
        if (b.right > p.right + 0.5) out.push(`${kids[i]!.className}「${kids[i]!.textContent}」 runs past its row`);
      });
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const hgt = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 0.5 && hgt > 0.5)
            out.push(
              `${kids[i]!.className}「${kids[i]!.textContent}」 overlaps ${kids[j]!.className}「${kids[j]!.textContent}」`,
            );
        }
    }
    return out;
  }, selector);
}

/** Elements matching `selector` whose text is cut (content wider than the box). */
function cut(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((e) => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.textContent} (${e.scrollWidth} px in ${e.clientWidth} px)`),
    selector,
  );
}

/** The leaderboard's key columns: each cell drawn, inside the table's box and the viewport, no sideways scroll. */
function keyColumns(page: Page) {
  return page.evaluate(() => {
    const wrap = document.querySelector('#leaderboard-card .table-wrap') as HTMLElement;
    const w = wrap.getBoundingClientRect();
    const problems: string[] = [];
    const keys = ['rank', 'agent', 'col-total_return', 'col-sharpe', 'col-dsr', 'flag'];
    const rows = [...document.querySelectorAll('#leaderboard tr')];
    for (const tr of rows)
      for (const k of keys) {
        const cell = tr.querySelector(`.${k}`);
        if (!cell) {
          problems.push(`no .${k} cell in a row`);
          continue;
        }
        const b = cell.getBoundingClientRect();
        if (b.width < 1 || b.height < 1) problems.push(`.${k} is not drawn`);
        else if (b.left < w.left - 0.5 || b.right > w.right + 0.5 || b.right > window.innerWidth)
          problems.push(`.${k} spans ${b.left}–${b.right}, the table ${w.left}–${w.right}`);
        if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`.${k} text is cut: ${cell.textContent}`);
      }
    return {
      problems,
      rows: rows.length,
      sideways: wrap.scrollWidth - wrap.clientWidth,
      page: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}

describe('the dashboard shows the truth, whole, with 22 arena agents (1400×900 and 390×844)', () => {
  let h: Harness;
  let browser: Browser;
  let laptop: Page;
  let phone: Page;
  let url: string;
  const problems: string[] = [];

  async function open(viewport: { width: number; height: number }, mobile: boolean): Promise<Page> {
    const page = await browser.newPage({ viewport, isMobile: mobile, hasTouch: mobile });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript((t) => sessionStorage.setItem('arbiter.adminToken', t), h.adminToken);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    await page.waitForSelector('[data-testid=stream-status].ok');
    await page.waitForFunction((n) => document.querySelectorAll('#leaderboard tr[data-agent]').length === n, 5 + EXTRA);
    return page;
  }

  beforeAll(async () => {
    const webRoot = await ensureWebBuild();
    const port = await freePort();
    h = await startHarness({
      bars: 60,
      port,
      webRoot,
      extraAgents: EXTRA,
      hardCaps: { max_trades_per_day: 100_000, max_total_exposure_usd: 100_000 },
    });
    // An approval (asked, then approved and executed) and a refusal, so every filter has rows of its own.
    const asked = await call(h, 'POST', '/v1/orders', {
      token: h.tokens.alice,
      body: { symbol: 'BTC/USDT', side: 'buy', notional: 420 },
    });
    expect(asked.body.decision, JSON.stringify(asked.body).slice(0, 300)).toBe('PENDING_APPROVAL');
    const approved = await call(h, 'POST', `/v1/approvals/${asked.body.approval_id}/approve`, {
      token: h.adminToken,
    });
    expect(approved.status).toBe(200);
    const refused = await call(h, 'POST', '/v1/orders', {
      token: h.tokens.bob,
      body: { symbol: 'NOPE/USDT', side: 'buy', notional: 100 },
    });
    expect(refused.body.decision).toBe('REJECT');
    // The two agents whose names a cut would merge trade last, so both are in the log's backlog.
    for (const id of ['momentum-20', 'momentum-200']) {
      const session = { agentId: id, accountId: `arena-${id}`, venue: 'paper', sessionId: 'arena-test' };
      const r = await h.services.orders.place(session, { symbol: 'BTC/USDT', side: 'buy', notional: 50 }, 'test');
      expect(r.certificate.payload.decision, id).toMatch(/^ALLOW/);
    }
    await h.app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    laptop = await open(LAPTOP, false);
    phone = await open(PHONE, true);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it(
    'filters the log: Fills, Refused and Approvals show only their rows, All shows every row',
    async () => {
      await laptop.waitForSelector('#log li[data-kind=approval][data-status=executed]');
      await laptop.waitForSelector('#log li[data-kind=fill]');
      await laptop.waitForSelector('#log li[data-decision=REJECT]');
      const shown = () =>
        laptop.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('#log li.entry')].map((li) => ({
            kind: li.dataset.kind ?? '',
            decision: li.dataset.decision ?? '',
            visible: li.getClientRects().length > 0,
          })),
        );
      const cases: [string, (r: { kind: string; decision: string }) => boolean][] = [
        ['fills', (r) => r.kind === 'fill'],
        ['refused', (r) => r.kind === 'verdict' && ['REJECT', 'PAUSE_FOR_REAUTH'].includes(r.decision)],
        ['approvals', (r) => r.kind === 'approval' || r.decision === 'PENDING_APPROVAL'],
        ['verdicts', (r) => r.kind === 'verdict'],
      ];
      for (const [filter, belongs] of cases) {
        await laptop.click(`#log-filter button[data-filter=${filter}]`);
        const rows = await shown();
        const wrong = rows.filter((r) => r.visible !== belongs(r));
        expect(wrong, `filter ${filter}: rows shown that do not belong, or hidden that do`).toEqual([]);
        expect(rows.filter((r) => r.visible).length, `filter ${filter} shows its rows`).toBeGreaterThan(0);
        expect(rows.filter((r) => !r.visible).length, `filter ${filter} hides the others`).toBeGreaterThan(0);
      }
      await laptop.click('#log-filter button[data-filter=all]');
      expect((await shown()).every((r) => r.visible)).toBe(true);
    },
    SLOW,
  );

  it(
    "shows the leaderboard's key columns whole inside the card at 1400×900 and on a phone",
    async () => {
      for (const [name, page] of [
        ['1400×900', laptop],
        ['390×844', phone],
      ] as const) {
        const r = await keyColumns(page);
        expect(r.rows, name).toBe(5 + EXTRA + 1);
        expect(r.problems, `${name}: rank, agent, return, Sharpe, DSR and the luck flag`).toEqual([]);
        expect(r.sideways, `${name}: the leaderboard does not scroll sideways`).toBeLessThanOrEqual(0);
        expect(r.page, `${name}: the page does not scroll sideways`).toBeLessThanOrEqual(0);
      }
      // The columns that give way on a phone are in the agent's details.
      await phone.click('#leaderboard tr[data-agent="momentum-200"]');
      await phone.waitForSelector('#drawer.open');
      const stats = await phone.locator('#drawer .stat span').allTextContents();
      expect(stats).toEqual(expect.arrayContaining(['Equity', 'Sortino', 'Max drawdown', 'PSR', 'DSR']));
      await phone.keyboard.press('Escape');
    },
    SLOW,
  );

  it(
    'never cuts a name, a tile or the size unit, and no badge sits over a name',
    async () => {
      for (const [name, page] of [
        ['1400×900', laptop],
        ['390×844', phone],
      ] as const) {
        await page.waitForSelector('#log li .who >> text="momentum-200"', { state: 'attached' });
        const names = await page.locator('#log li .who').allTextContents();
        expect(names, `${name}: momentum-20 and momentum-200 are told apart`).toEqual(
          expect.arrayContaining(['momentum-20', 'momentum-200']),
        );
        expect(await cut(page, '#log li .who'), `${name}: log names`).toEqual([]);
        expect(await cut(page, '#leaderboard .name'), `${name}: leaderboard names`).toEqual([]);
        expect(await cut(page, '.tile-foot'), `${name}: tile footers`).toEqual([]);
        expect(await page.textContent('.tile.allowed .tile-foot')).toMatch(/\d+ refused$/);
        expect(await overlaps(page, '#log li.entry'), `${name}: log rows`).toEqual([]);
        expect(await overlaps(page, '#approvals .ap-main'), `${name}: approval cards`).toEqual([]);
        const unit = await page.evaluate(() => {
          const sel = document.querySelector('#intent-unit') as HTMLSelectElement;
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = getComputedStyle(sel).font;
          const widest = Math.max(...[...sel.options].map((o) => ctx.measureText(o.text).width));
          return { box: sel.getBoundingClientRect().width, widest };
        });
        // Text plus the select's padding and its arrow.
        expect(unit.box, `${name}: the USD/units selector fits "units"`).toBeGreaterThanOrEqual(unit.widest + 24);
      }
    },
    SLOW,
  );

  it(
    'gives each of 22 agents its own colour, derived from its id, the same after a reload',
    async () => {
      const colours = (page: Page) =>
        page.evaluate(() =>
          Object.fromEntries(
            [...document.querySelectorAll<HTMLElement>('#leaderboard tr[data-agent]')].map((tr) => [
              tr.dataset.agent!,
              getComputedStyle(tr.querySelector('.swatch')!).backgroundColor,
            ]),
          ),
        );
      const before = await colours(laptop);
      const ids = Object.keys(before);
      expect(ids).toHaveLength(5 + EXTRA);
      expect(new Set(Object.values(before)).size, 'no two agents share a colour').toBe(ids.length);
      const expected = rosterColours(ids);
      for (const id of ids) expect(before[id], id).toBe(rgb(expected.get(id)!));
      // The log and the legend use the same colour for the same agent.
      const logged = await laptop.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('#log li .who')].map((w) => [
          w.textContent ?? '',
          getComputedStyle(w.querySelector('.swatch')!).backgroundColor,
        ]),
      );
      for (const [id, c] of logged) if (id && before[id]) expect(c, `log colour of ${id}`).toBe(before[id]);
      await laptop.reload();
      await laptop.waitForSelector('body[data-ready="1"]');
      await laptop.waitForFunction(
        (n) => document.querySelectorAll('#leaderboard tr[data-agent]').length === n,
        5 + EXTRA,
      );
      expect(await colours(laptop)).toEqual(before);
    },
    SLOW,
  );

  it(
    "keeps the equity chart's price axis readable and the trade markers off the candles",
    async () => {
      const equity = await laptop.locator('#equity-chart').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
      expect(Number(equity.lines)).toBe(5 + EXTRA);
      expect(Number(equity.axisLabels), 'last-value labels on the price axis').toBeLessThanOrEqual(3);
      const price = await laptop.locator('#price-chart').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
      const fills = Number(price.fills);
      const markers = Number(price.markers);
      expect(fills, 'the arena has filled orders').toBeGreaterThan(20);
      expect(markers, 'at most one marker per bar and side').toBeLessThanOrEqual(2 * Number(price.markerBars));
      expect(markers, 'fills in the same bar share a marker').toBeLessThan(fills);
    },
    SLOW,
  );

  it(
    'shows one ledger count, the server’s, in the tile, the ledger panel and /v1/ledger/verify, and keeps it current',
    async () => {
      const agree = async (n: number) => {
        await laptop.waitForFunction(
          (want) =>
            document.querySelector('[data-testid=tile-ledger]')?.textContent === want.toLocaleString() &&
            document.querySelector('[data-testid=ledger-count]')?.textContent === `${want.toLocaleString()} records` &&
            (document.querySelector('[data-testid=chain-verified]')?.textContent ?? '').startsWith(
              `${want.toLocaleString()} records verified`,
            ),
          n,
        );
      };
      const verify = async () => (await call(h, 'GET', '/v1/ledger/verify', { token: h.adminToken })).body;
      const first = await verify();
      expect(first.ok).toBe(true);
      expect(first.count).toBe((await h.ctx.deps.store.ledgerHead()).count);
      await agree(first.count);
      // New records (an order asking for approval, then its approval) move every count to the same new number.
      const asked = await call(h, 'POST', '/v1/orders', {
        token: h.tokens.alice,
        body: { symbol: 'BTC/USDT', side: 'buy', notional: 410 },
      });
      await call(h, 'POST', `/v1/approvals/${asked.body.approval_id}/reject`, { token: h.adminToken });
      const second = await verify();
      expect(second.count).toBeGreaterThan(first.count);
      await agree(second.count);
      // A reload (which replays the stream's backlog) counts nothing twice.
      await laptop.reload();
      await laptop.waitForSelector('body[data-ready="1"]');
      await laptop.waitForSelector('[data-testid=stream-status].ok');
      await agree(second.count);
    },
    SLOW,
  );

  it(
    "stamps log rows with the event's own time, and a reload does not restamp them",
    async () => {
      const stamps = () =>
        laptop.evaluate(() =>
          Object.fromEntries(
            [...document.querySelectorAll<HTMLElement>('#log li[data-kind=verdict]')].map((li) => [
              li.dataset.verdict!,
              {
                at: li.querySelector('time')?.getAttribute('datetime') ?? '',
                text: li.querySelector('time')?.textContent,
              },
            ]),
          ),
        );
      const before = await stamps();
      const ids = Object.keys(before);
      expect(ids.length).toBeGreaterThan(5);
      let checked = 0;
      for (const id of ids) {
        // A refusal of an intent that never parsed keeps no certificate to look up.
        const cert = await call(h, 'GET', `/v1/verdicts/${encodeURIComponent(id)}`, { token: h.adminToken });
        if (cert.status === 404) continue;
        expect(before[id]!.at, `verdict ${id}`).toBe(new Date(cert.body.payload.issued_at).toISOString());
        checked += 1;
      }
      expect(checked).toBeGreaterThan(5);
      await laptop.reload();
      await laptop.waitForSelector('body[data-ready="1"]');
      await laptop.waitForFunction((id) => document.querySelector(`#log li[data-verdict="${id}"]`) !== null, ids[0]);
      const after = await stamps();
      for (const id of ids) if (after[id]) expect(after[id], `verdict ${id} after a reload`).toEqual(before[id]);
      // Every row of every kind carries its event's time.
      const untimed = await laptop.locator('#log li.entry time:not([datetime])').count();
      expect(untimed).toBe(0);
    },
    SLOW,
  );

  it(
    'names the market each chart shows, and the dates on the log, the drawer and the charts agree',
    async () => {
      const market = h.ctx.deps.market.name;
      const run = (await call(h, 'GET', '/v1/arena/runs', { token: h.adminToken })).body.runs[0];
      const prices = (await call(h, 'GET', '/v1/arena/prices', { token: h.adminToken })).body.series[0];
      const year = String(new Date(prices.candles[0].ts).getFullYear());
      const caption = await laptop.textContent('[data-testid=price-market]');
      expect(caption).toContain('Arena replay');
      expect(caption).toContain(run.market);
      expect(caption).toContain('BTC/USDT');
      expect(caption).toContain(year);
      expect(caption).toContain(run.market === market ? 'the same market data the console judges on' : market);
      expect(await laptop.textContent('[data-testid=equity-market]')).toContain(`Arena run ${run.id} on ${run.market}`);
      expect(await laptop.textContent('[data-testid=console-market]')).toBe(`prices from ${market}, now`);
      // Fills in the log happened inside the candles the chart shows (the replayed time, not the browser's).
      const first = prices.candles[0].ts;
      // Up to the end of the bar being traded (the one after the last closed candle).
      const last = prices.candles.at(-1).ts + 2 * prices.timeframe_ms;
      const fillTimes = await laptop
        .locator('#log li[data-kind=fill] time')
        .evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime') ?? '')));
      expect(fillTimes.length).toBeGreaterThan(0);
      for (const t of fillTimes) {
        expect(t).toBeGreaterThanOrEqual(first);
        expect(t).toBeLessThanOrEqual(last);
      }
      // The drawer dates an agent's fills in the same year.
      await laptop.click('#leaderboard tr[data-agent=pyramid]');
      await laptop.waitForSelector('#drawer.open table.fills tr');
      expect(await laptop.textContent('#drawer table.fills tr td')).toContain(year);
      await laptop.keyboard.press('Escape');
    },
    SLOW,
  );

  it(
    'says how to get an agent token, and the command it names makes one the console accepts',
    async () => {
      await laptop.fill('#agent-token', '');
      await laptop.click('[data-testid=vet]');
      const command = await laptop.textContent('[data-testid=token-command]');
      expect(command).toBe('npx arbiter agents add NAME');
      // `npx arbiter` is this package's bin: run it as the operator would, on the server's ARBITER_HOME.
      const made = cli(h.home, ['agents', 'add', 'console-agent']);
      expect(made.code, made.err).toBe(0);
      const token = JSON.parse(made.out).token as string;
      await laptop.fill('#agent-token', token);
      await laptop.fill('#intent-size', '120');
      await laptop.click('[data-testid=vet]');
      await laptop.waitForSelector('[data-testid=verdict] .verdict');
      expect(await laptop.textContent('[data-testid=verdict] .verdict-id')).toContain('console-agent');
    },
    SLOW,
  );

  it(
    'saves screenshots at 1400×900 and 390×844, with no page errors',
    async () => {
      for (const [name, page] of [
        ['1400x900', laptop],
        ['390x844', phone],
      ] as const) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(ARTIFACTS, `dashboard-truth-${name}.png`), fullPage: true });
        await page.locator('#leaderboard-card').screenshot({ path: join(ARTIFACTS, `leaderboard-${name}.png`) });
        await page.locator('#log-card').screenshot({ path: join(ARTIFACTS, `log-${name}.png`) });
        for (const part of ['tiles', 'equity-card', 'price-card', 'console-card'])
          await page.locator(`#${part}`).screenshot({ path: join(ARTIFACTS, `${part}-${name}.png`) });
      }
      expect(problems).toEqual([]);
    },
    SLOW,
  );
});
