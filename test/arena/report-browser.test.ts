import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseArenaOptions } from '../../src/app/arena/options.js';
import { runArena } from '../../src/app/arena/run.js';
import { TEST_ISSUER, tempDir } from './support/fixtures.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);

describe('the arena report', () => {
  it.skipIf(!CHROMIUM)(
    'renders every chart offline with no script error',
    async () => {
      const dir = tempDir();
      const opts = { source: 'synthetic', bars: '200', warmup: '60', agents: 'buy-hold,momentum', quiet: true };
      await runArena(parseArenaOptions({ ...opts, bootstrap: '100', partitions: '8' }), dir, TEST_ISSUER);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(String(e)));
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        await page.route('**/*', (r) => {
          if (r.request().url().startsWith('file:')) return r.continue();
          problems.push(`fetch ${r.request().url()}`);
          return r.abort();
        });
        await page.goto(`file://${join(dir, 'report.html')}`);
        await page.selectOption('#agent', 'momentum-20');
        const canvases = await page.locator('canvas').count();
        expect(problems).toEqual([]);
        expect(canvases, 'price, equity, drawdown and allocation charts drew').toBeGreaterThanOrEqual(4);
        expect(await page.locator('#trade-count').textContent()).toMatch(/^\d+ fills$/);
      } finally {
        await browser.close();
      }
    },
    30_000,
  );
});
