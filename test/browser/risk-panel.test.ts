import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/call.js';
import { type Harness, startHarness } from '../http/support/harness.js';
import { freePort } from '../support/mcp.js';
import { ensureWebBuild } from './support/web-build.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

describe('the dashboard’s risk panel in a real browser', () => {
  let h: Harness;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const webRoot = await ensureWebBuild();
    const port = await freePort();
    h = await startHarness({ bars: 0, port, webRoot });
    await h.app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}/`;
    const placed = await call(h, 'POST', '/v1/orders', {
      token: h.tokens.alice,
      body: { symbol: 'BTC/USDT', side: 'buy', notional: 250 },
    });
    expect(placed.body.decision).toBe('ALLOW');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function open(agentToken: string) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript((t) => sessionStorage.setItem('arbiter.agentToken', t), agentToken);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    return { page, problems };
  }

  it('shows VaR, ES, the Monte Carlo drawdown band and the correlation heat map of the agent’s own book', async () => {
    const { page, problems } = await open(h.tokens.alice);
    const figures = await page.locator('[data-testid=risk-figures]').textContent({ timeout: 30_000 });
    expect(figures).toMatch(/95 % one-bar VaR -\d+\.\d+% · ES -\d+\.\d+% \(historical, 250 hourly returns\)/);
    expect(await page.locator('[data-testid=risk-band]').textContent()).toMatch(
      /Max drawdown over 250 bars \(1000 seeded bootstrap paths\): median \d+\.\d+%/,
    );
    const cells = page.locator('[data-testid=risk-heatmap] td.heat');
    expect(await cells.count()).toBe(1);
    expect(await cells.first().textContent()).toBe('1.00');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says the book is empty for an agent with nothing held', async () => {
    const { page } = await open(h.tokens.bob);
    await page.waitForSelector('[data-testid=risk] p');
    expect(await page.locator('[data-testid=risk]').textContent()).toBe(
      'Your book is empty: no position, no order in flight.',
    );
    await page.close();
  });
});
