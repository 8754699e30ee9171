import { rmSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../browser/support/web-build.js';
import { cli, tempHome } from '../support/cli.js';
import { arenaFills, replay } from './support/arena-fills.js';
import { ADMIN, agent, eventually, http, type Served, serve, sleep, vibe } from './support/outside.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SENTENCE = 'Every order that adds exposure is refused; cancelling and orders that reduce a position still pass.';

/**
 * The dashboard of a running `serve --arena` (what `npm start` runs), in Chromium: the operator pulls the switch,
 * and the page says truthfully what is halted, by whom, since when, what the switch swept, and which mandate the
 * arena trades under. Every sentence the banner says is then checked against the server and the arena.
 */
describe('the kill switch on the dashboard of a running serve --arena', () => {
  let home: string;
  let srv: Served;
  let browser: Browser;
  let page: Page;
  let alice = '';
  const problems: string[] = [];

  const order = async (intent: Record<string, unknown>) =>
    (await http(srv.url, 'POST', '/v1/orders', { token: alice, body: intent })).body;

  beforeAll(async () => {
    await ensureWebBuild();
    home = tempHome('arbiter-ks-dash-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    alice = agent(home, 'alice', { ARBITER_ACCOUNT: 'alice' });
    srv = await serve(home, ['--arena', 'csv:data/BTCUSDT_1h.csv', '--arena-start-after', '500'], {
      ARBITER_BAR_MS: '300',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    // The operator's dashboard: signed in with the admin token (signed out it reads only public routes).
    await page.addInitScript((t) => sessionStorage.setItem('arbiter.adminToken', t), ADMIN);
    await page.goto(`${srv.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('shows which mandate the running arena trades under, and on which venue', async () => {
    await page.waitForSelector('[data-testid=arena-mandate]:not([hidden])', { timeout: 30_000 });
    const line = await page.textContent('[data-testid=arena-mandate]');
    expect(line).toContain('arena trades on venue arena under built-in (sized to the starting capital)');
    expect(line).toMatch(/sha256:[0-9a-f]{12}/);
    expect(line).toContain('≤ $10,000 per order · exposure ≤ $20,000 · leverage ≤ 2 · flatten_on_halt off');
  }, 60_000);

  it('the kill button halts everything; the banner says what, by whom, since when and what it swept', async () => {
    const q = (await http(srv.url, 'GET', '/v1/market/quote?symbol=BTC%2FUSDT')).body.quote;
    expect((await order({ symbol: 'BTC/USDT', side: 'buy', notional: 150 })).decision).toBe('ALLOW');
    const rest = await order({
      symbol: 'BTC/USDT',
      side: 'buy',
      notional: 120,
      limit_price: Math.round(q.bid * 0.97),
      time_in_force: 'GTC',
    });
    expect(rest.order.status).toBe('open');

    await page.click('[data-testid=admin-button]');
    await page.fill('[data-testid=admin-token]', ADMIN);
    await page.click('[data-testid=admin-save]');
    await page.click('[data-testid=kill-switch]');
    await page.waitForSelector('[data-testid=kill-switch][data-state=halted]');
    expect(await page.textContent('[data-testid=kill-switch]')).toBe('Resume trading');
    expect(await page.textContent('[data-testid=halt-title]')).toBe('TRADING HALTED');
    expect(await page.textContent('[data-testid=halt-sentence]')).toBe(SENTENCE);
    const scope = page.locator('#halt-banner li[data-scope=global]');
    await scope.getByText('cancelled 1 resting order, flattened 0 positions').waitFor();
    const line = await scope.textContent();
    expect(line).toContain('everywhere: kill switch (dashboard) · by http:admin · since ');
    const status = (await http(srv.url, 'GET', '/v1/halts', { token: ADMIN })).body.scopes[0];
    expect(status).toMatchObject({ scope: 'global', by: 'http:admin', sweep: { cancelled: 1, flattened: 0 } });
    await page.waitForSelector('[data-testid=arena-halted]');
    expect(await page.textContent('[data-testid=arena-halted]')).toBe('HALTED (global)');
  }, 60_000);

  it('every word of the banner holds: new exposure refused, a reduction and a cancel pass, the arena adds nothing', async () => {
    expect((await order({ symbol: 'BTC/USDT', side: 'buy', notional: 110 })).reasons).toEqual(['HALTED_GLOBAL']);
    const pos = (await http(srv.url, 'GET', '/v1/positions', { token: alice })).body.positions[0];
    const q = (await http(srv.url, 'GET', '/v1/market/quote?symbol=BTC%2FUSDT')).body.quote;
    const sell = await order({
      symbol: 'BTC/USDT',
      side: 'sell',
      quantity: Number((pos.quantity / 2).toFixed(5)),
      limit_price: Math.round(q.ask * 1.03),
      time_in_force: 'GTC',
      reduce_only: true,
    });
    expect(sell.decision, 'a reduction passes').toBe('ALLOW');
    const del = await http(srv.url, 'DELETE', `/v1/orders/${sell.order.orderId}`, { token: alice });
    expect(del.status, 'cancelling passes').toBe(200);
    expect((await order({ symbol: 'BTC/USDT', side: 'sell', notional: 60, reduce_only: true })).decision).toBe('ALLOW');

    const sweep = (await http(srv.url, 'GET', '/v1/ledger?order=desc&limit=500', { token: ADMIN })).body.records.find(
      (r: { kind: string }) => r.kind === 'halt_sweep',
    );
    const arena = JSON.parse(sweep.body).targets.find((t: { target: string }) => t.target.startsWith('arena:'));
    const bar = (await http(srv.url, 'GET', '/v1/leaderboard', { token: ADMIN })).body.bar as number;
    await eventually('the arena to run on', async () =>
      (await http(srv.url, 'GET', '/v1/leaderboard', { token: ADMIN })).body.bar > bar + 5 ? true : undefined,
    );
    const { grew } = replay(await arenaFills(srv.url), arena.at.ts);
    expect(grew, 'arena fills after the switch that added exposure').toEqual([]);
  }, 60_000);

  it('resume from the button clears the banner; a Vibe-Trading trip shows up on the page by itself', async () => {
    await page.click('[data-testid=kill-switch]');
    await page.waitForSelector('[data-testid=kill-switch][data-state=running]');
    await page.waitForSelector('#halt-banner', { state: 'hidden' });
    expect(await page.isVisible('[data-testid=arena-halted]')).toBe(false);

    vibe(home, ['trip', 'frontend', 'vibe-trading stop']);
    const li = page.locator('#halt-banner li[data-scope=global]');
    await li.getByText('tripped by a HALT file in the runtime root').waitFor({ timeout: 20_000 });
    expect(await li.textContent()).toContain('everywhere: vibe-trading stop · by frontend · since ');
    vibe(home, ['clear']);
    await page.waitForSelector('#halt-banner', { state: 'hidden', timeout: 20_000 });
    await sleep(200);
    expect(problems, 'no console errors').toEqual([]);
  }, 60_000);
});
