import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, agent, http, type Served, serve } from '../killswitch/support/outside.js';
import { cli, cliAsync, tempHome } from '../support/cli.js';
import { type LlmEmulator, startOpenAiEmulator } from '../support/llm-emulators/index.js';
import { ensureWebBuild } from './support/web-build.js';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'sk-study-panel-Zt8wK2pQ6vN4';
const LAPTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

type Ci = [number | null, number | null];
interface Row {
  agent: string;
  return: { mean: number | null; ci95: Ci };
  sharpe: { mean: number | null; ci95: Ci };
  dsr: number | null;
  null_control: { luck_share: number | null };
  verdict: { distinguishable: boolean; line: string };
  llm: null | {
    model: string;
    calls: number;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number;
    priced: boolean;
  };
}

// The test's own reading of study.json's numbers, written out independently of the dashboard's code.
const percent = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${(100 * x).toFixed(2)}%`);
const fixed = (x: number | null, d: number) => (x === null ? '—' : x.toFixed(d));
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * `serve --study DIR` shows a finished `arena study` on the dashboard: per agent the verdict, the CIs of return and
 * Sharpe, the DSR, the luck share and the LLM's spend — the numbers of study.json, whole on a laptop and a phone.
 */
describe('the study on the dashboard (serve --study)', () => {
  let home: string;
  let out: string;
  let emu: LlmEmulator;
  let srv: Served;
  let browser: Browser;
  let study: { study: { runs: number; null_runs: number; trials: number }; agents: Row[] };
  const problems: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    mkdirSync(ARTIFACTS, { recursive: true });
    home = tempHome('arbiter-study-panel-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, () => ({
      text: JSON.stringify({
        action: 'buy',
        symbol: 'BTC/USDT:USDT',
        size: 100,
        leverage: 1,
        confidence: 0.6,
        reason: 'small long',
      }),
    }));
    const roster = join(home, 'roster.json');
    writeFileSync(
      roster,
      JSON.stringify({
        agents: [
          'buy-hold',
          'momentum-20',
          {
            id: 'solo',
            kind: 'llm',
            provider: 'openai-compatible',
            base_url: `${emu.url}/v1`,
            model: 'gpt-4o-mini',
            api_key_env: 'STUDY_LLM_KEY',
          },
        ],
      }),
    );
    out = join(home, 'study');
    const args = ['arena', 'study', '--roster', roster, '--seeds', '2', '--windows', '1', '--bars', '48'];
    const r = await cliAsync(
      home,
      [...args, '--warmup', '30', '--bootstrap', '200', '--jobs', '1', '--quiet', '--out', out],
      { STUDY_LLM_KEY: KEY },
    );
    expect(r.code, r.err).toBe(0);
    study = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8'));
    srv = await serve(home, ['--study', out]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.addInitScript((t) => sessionStorage.setItem('arbiter.adminToken', t), ADMIN);
    await page.goto(`${srv.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.locator('[data-testid=study-agent]').first().waitFor();
    return page;
  }

  it('study.json records the LLM agent’s spend over every run; a built-in spends nothing', () => {
    const solo = study.agents.find((a) => a.agent === 'solo')!;
    expect(solo.llm).toMatchObject({ model: 'gpt-4o-mini', priced: true });
    expect(solo.llm!.calls).toBeGreaterThan(0);
    expect(solo.llm!.cost_usd).toBeGreaterThan(0);
    // Every call the emulator answered is counted once, in the runs on the markets and on the null control.
    expect(solo.llm!.calls).toBe(emu.requests.length);
    expect(study.agents.find((a) => a.agent === 'buy-hold')!.llm).toBeNull();
  });

  it('GET /v1/arena/study serves study.json as written, to a token holder only', async () => {
    const fromFile = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8'));
    expect((await http(srv.url, 'GET', '/v1/arena/study', { token: ADMIN })).body).toEqual({ study: fromFile });
    const token = agent(home, 'reader-1');
    const asAgent = await http(srv.url, 'GET', '/v1/arena/study', { token });
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toEqual({ study: fromFile });
    expect((await http(srv.url, 'GET', '/v1/arena/study')).status).toBe(401);
  });

  for (const [name, viewport] of [
    ['1400×900', LAPTOP],
    ['390×844', PHONE],
  ] as const)
    it(`shows each agent’s verdict, CIs, DSR, luck share and spend equal to study.json, whole, at ${name}`, async () => {
      const page = await open(viewport);
      try {
        expect(
          await page
            .locator('[data-testid=study-agent]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-agent'))),
        ).toEqual(study.agents.map((a) => a.agent));
        const s = study.study;
        expect(await page.textContent('[data-testid=study-info]')).toBe(
          `${s.runs} market runs · ${s.null_runs} null-control runs · ${s.trials} trials`,
        );
        for (const a of study.agents) {
          const card = page.locator(`[data-testid=study-agent][data-agent="${a.agent}"]`);
          const text = (id: string) => card.locator(`[data-testid=${id}]`).textContent();
          expect(await text('study-verdict'), a.agent).toBe(a.verdict.distinguishable ? 'edge: yes' : 'edge: no');
          expect(await card.locator('[data-testid=study-verdict]').getAttribute('title')).toBe(a.verdict.line);
          expect(await text('study-return'), a.agent).toBe(
            `${percent(a.return.mean)} [${percent(a.return.ci95[0])}, ${percent(a.return.ci95[1])}]`,
          );
          expect(await text('study-sharpe'), a.agent).toBe(
            `${fixed(a.sharpe.mean, 2)} [${fixed(a.sharpe.ci95[0], 2)}, ${fixed(a.sharpe.ci95[1], 2)}]`,
          );
          expect(await text('study-dsr'), a.agent).toBe(fixed(a.dsr, 3));
          const luck = a.null_control.luck_share;
          expect(await text('study-luck'), a.agent).toBe(luck === null ? '—' : `${(100 * luck).toFixed(0)}%`);
          expect(await text('study-spend'), a.agent).toBe(
            a.llm
              ? `${a.llm.model} · $${a.llm.cost_usd.toFixed(4)} · ${thousands(a.llm.input_tokens + a.llm.output_tokens)} tokens · ${thousands(a.llm.calls)} calls`
              : 'no model (rule-based)',
          );
        }
        // Whole: every value inside its box and in view of the card, and the page does not scroll sideways.
        const cut = await page.evaluate(() => {
          const card = document.getElementById('study-card')!.getBoundingClientRect();
          return [...document.querySelectorAll('#study .stat b, #study .pill, #study .name')]
            .filter((el) => {
              const r = el.getBoundingClientRect();
              const e = el as HTMLElement;
              return e.scrollWidth > e.clientWidth + 1 || r.left < card.left || r.right > card.right + 0.5;
            })
            .map((el) => el.textContent);
        });
        expect(cut, `${name}: values cut or outside the card`).toEqual([]);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(sideways, `${name}: the page does not scroll sideways`).toBeLessThanOrEqual(0);
        await page
          .locator('#study-card')
          .screenshot({ path: join(ARTIFACTS, `study-${viewport.width}x${viewport.height}.png`) });
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);

  it('a server without --study shows no study card; a wrong --study stops serve naming the file', async () => {
    const plain = await serve(home, []);
    try {
      expect((await http(plain.url, 'GET', '/v1/arena/study', { token: ADMIN })).body).toEqual({ study: null });
      const page = await browser.newPage({ viewport: LAPTOP });
      await page.addInitScript((t) => sessionStorage.setItem('arbiter.adminToken', t), ADMIN);
      await page.goto(`${plain.url}/`);
      await page.waitForSelector('body[data-ready="1"]');
      expect(await page.locator('#study-card').isHidden()).toBe(true);
      await page.close();
    } finally {
      await plain.stop();
    }
    const missing = cli(home, ['serve', '--port', '0', '--study', join(home, 'nowhere')]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/STUDY_INVALID: --study: .*nowhere\/study\.json: not readable JSON/);
    writeFileSync(join(home, 'study.json'), JSON.stringify({ study: {}, agents: [] }));
    const wrong = cli(home, ['serve', '--port', '0', '--study', home]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(
      /STUDY_INVALID: --study: .*study\.json: study\.runs: .*expected the study\.json arena study writes/,
    );
  });
});
