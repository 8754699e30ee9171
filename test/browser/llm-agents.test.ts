import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, http, type Served, serve } from '../killswitch/support/outside.js';
import { cli, tempHome } from '../support/cli.js';
import { type LlmEmulator, type ReceivedRequest, startOpenAiEmulator } from '../support/llm-emulators/index.js';
import { ensureWebBuild } from './support/web-build.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'sk-dash-llm-Qm3sV7xN1bR5';

const systemOf = (req: ReceivedRequest) =>
  ((req.body?.messages ?? []) as { role: string; content: string }[])[0]?.content ?? '';

/** Every decision a small perpetual buy; the debate's researchers speak plain text. */
function script(req: ReceivedRequest) {
  const s = systemOf(req);
  if (s.includes('BULL')) return { text: 'bull: the trend is up' };
  if (s.includes('BEAR')) return { text: 'bear: funding is rich' };
  if (s.includes('RISK MANAGER')) return { text: 'risk: keep it to $100' };
  return {
    text: JSON.stringify({
      action: 'buy',
      symbol: 'BTC/USDT:USDT',
      size: 100,
      leverage: 1,
      confidence: 0.6,
      reason: s.includes('TRADER') ? 'judge: small long after the debate' : 'solo: small long',
    }),
  };
}

/**
 * The dashboard of `serve --arena --roster` in Chromium: LLM agents in the leaderboard with their tokens and
 * cost, and the agent drawer with each decision's reasoning, tokens, cost and latency, the prompt and the
 * transcript collapsed until opened.
 */
describe('LLM agents on the dashboard of a running serve --arena --roster', () => {
  let home: string;
  let srv: Served;
  let emu: LlmEmulator;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    home = tempHome('arbiter-dash-llm-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, script);
    const llm = {
      kind: 'llm',
      provider: 'openai-compatible',
      base_url: `${emu.url}/v1`,
      model: 'gpt-4o-mini',
      api_key_env: 'DASH_LLM_KEY',
    };
    const roster = join(home, 'roster.json');
    writeFileSync(
      roster,
      JSON.stringify({ agents: ['buy-hold', { id: 'solo', ...llm }, { id: 'panel', style: 'debate', ...llm }] }),
    );
    srv = await serve(home, ['--arena', 'csv:data/BTCUSDT_1h.csv', '--roster', roster, '--arena-start-after', '200'], {
      ARBITER_BAR_MS: '1000',
      DASH_LLM_KEY: KEY,
    });
    await eventually(
      'the debate agent to have decided twice',
      async () => {
        const d = await http(srv.url, 'GET', '/v1/arena/decisions?agent=panel&limit=5', { token: ADMIN });
        return d.body.decisions?.length >= 2 ? d : undefined;
      },
      60_000,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.addInitScript((t) => sessionStorage.setItem('arbiter.adminToken', t), ADMIN);
    await page.goto(`${srv.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the leaderboard shows each LLM agent’s model, tokens, calls and cost; a built-in shows none', async () => {
    const spend = page.locator('tr[data-agent="panel"] [data-testid=model-spend]');
    await spend.waitFor({ timeout: 30_000 });
    expect(await spend.textContent()).toMatch(/^gpt-4o-mini · [\d,]+ tokens · \d+ calls · \$\d+\.\d{2}$/);
    expect(await page.locator('tr[data-agent="solo"] [data-testid=model-spend]').count()).toBe(1);
    expect(await page.locator('tr[data-agent="buy-hold"] [data-testid=model-spend]').count()).toBe(0);
  }, 60_000);

  it('the drawer shows each decision’s reasoning, tokens, cost, latency; prompt and transcript collapsed', async () => {
    await page.click('tr[data-agent="panel"]');
    await page.locator('[data-testid=llm-decision]').first().waitFor({ timeout: 30_000 });
    // One decision, by its bar: the list moves on as bars are decided (the newest first, ten kept).
    const bar = await page.locator('[data-testid=llm-decision]').first().getAttribute('data-bar');
    const first = page.locator(`[data-testid=llm-decision][data-bar="${bar}"]`);
    expect(await page.locator('[data-testid=drawer-agent]').textContent()).toBe('panel');
    expect(await first.locator('[data-testid=llm-reason]').textContent()).toBe('judge: small long after the debate');
    expect(await first.locator('[data-testid=llm-facts]').textContent()).toMatch(
      /^[\d,]+ tokens · \$\d+\.\d{2} · [\d,]+ ms$/,
    );
    const details = first.locator('details');
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open), 'collapsed at first').toBe(false);
    expect(await first.locator('summary').textContent()).toBe('Prompt and transcript (4 model calls)');
    expect(await first.locator('[data-testid=llm-prompt]').first().isVisible()).toBe(false);
    await first.locator('summary').click();
    const prompt = first.locator('[data-testid=llm-prompt]').first();
    expect(await prompt.isVisible()).toBe(true);
    expect(await prompt.textContent()).toMatch(/^Bar \d+ of/);
    const transcript = await first.locator('.llm-part pre').first().textContent();
    expect(transcript).toContain('[bull · gpt-4o-mini]');
    expect(transcript).toContain('[bear · gpt-4o-mini]');
    expect(transcript).toContain('[risk · gpt-4o-mini]');
    expect(transcript).toContain('[judge · gpt-4o-mini]');
    expect(await first.locator('[data-testid=llm-exchange]').count()).toBe(4);
    expect(await page.content()).not.toContain(KEY);
    expect(problems).toEqual([]);
  }, 60_000);
});
