import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/call.js';
import { type Harness, startHarness } from '../http/support/harness.js';
import { freePort } from '../support/mcp.js';
import { CHROMIUM_ARGS as ARGS, CHROMIUM } from './support/chromium.js';
import { ensureWebBuild } from './support/web-build.js';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

describe('the dashboard in a real browser', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let url: string;
  const problems: string[] = [];
  const verifyCalls: string[] = [];

  beforeAll(async () => {
    const webRoot = await ensureWebBuild();
    const port = await freePort();
    h = await startHarness({ bars: 72, port, webRoot });
    await h.app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (r.url().includes('/v1/verify')) verifyCalls.push(r.url());
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    // Signed out, the page reads nothing that needs a token; signing in with the admin token shows everything.
    await page.waitForSelector('[data-testid=signin-banner]');
    await page.click('[data-testid=signin]');
    await page.fill('[data-testid=admin-token]', h.adminToken);
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=admin-save]')]);
    await page.waitForSelector('body[data-ready="1"]');
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('loads without console errors and goes live on the event stream', async () => {
    await page.waitForSelector('[data-testid=stream-status].ok');
    expect(await page.isVisible('[data-testid=signin-banner]')).toBe(false);
    expect(problems).toEqual([]);
  });

  it('signed out, shows only public data and asks for a token, calling no route that needs one', async () => {
    const fresh = await browser.newPage();
    const statuses: number[] = [];
    const errors: string[] = [];
    fresh.on('response', (r) => statuses.push(r.status()));
    fresh.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await fresh.goto(url);
    await fresh.waitForSelector('body[data-ready="1"]');
    expect(await fresh.isVisible('[data-testid=signin-banner]')).toBe(true);
    expect(await fresh.locator('#leaderboard tr[data-agent]').count()).toBe(0);
    await fresh.waitForFunction(() => (document.querySelector('#pin-key-id') as HTMLInputElement).value !== '');
    expect(
      statuses.filter((x) => x === 401),
      'no request answered 401',
    ).toEqual([]);
    expect(errors).toEqual([]);
    await fresh.close();
  });

  it("signed in as an agent, shows that agent's events only and never asks for what it may not read", async () => {
    const agentPage = await browser.newPage();
    const refused: string[] = [];
    agentPage.on('response', (r) => {
      if (r.status() === 401 || r.status() === 403) refused.push(`${r.status()} ${r.url()}`);
    });
    await agentPage.addInitScript((t) => sessionStorage.setItem('arbiter.agentToken', t), h.tokens.bob);
    await agentPage.goto(url);
    await agentPage.waitForSelector('body[data-ready="1"]');
    await agentPage.waitForSelector('[data-testid=stream-status].ok');
    expect(await agentPage.textContent('[data-testid=chain-status]')).toContain('admin token');
    const place = (token: string, notional: number) =>
      call(h, 'POST', '/v1/orders', { token, body: { symbol: 'BTC/USDT', side: 'buy', notional } });
    await place(h.tokens.alice, 151);
    await place(h.tokens.bob, 152);
    await agentPage.locator('#log li', { hasText: 'bob' }).first().waitFor();
    expect(
      await agentPage.locator('#log li', { hasText: 'alice' }).count(),
      "alice's events are not bob's to see",
    ).toBe(0);
    expect(refused).toEqual([]);
    await agentPage.close();
  });

  it('reconnects the event stream with a fresh ticket after the connection drops, and replays what it missed', async () => {
    await page.waitForSelector('[data-testid=stream-status].ok');
    // Every open stream is ended (as a restarting proxy would); the page must come back by itself.
    const before = await page.textContent('[data-testid=tile-verdicts]');
    h.stream.closeAll();
    await page.waitForSelector('[data-testid=stream-status]:not(.ok)');
    await h.arena.step(1); // signed while the page is disconnected
    await page.waitForSelector('[data-testid=stream-status].ok', { timeout: 15_000 });
    // Nothing else happens: only the replay of what was missed (last_event_id) can move the verdict count.
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid=tile-verdicts]')?.textContent !== b,
      before,
      { timeout: 15_000 },
    );
  });

  it("shows the arena's agents on the leaderboard, and it moves as the arena trades", async () => {
    for (const id of h.arena.agentIds) await page.waitForSelector(`#leaderboard tr[data-agent="${id}"]`);
    const before = await page.textContent('[data-testid=tile-arena]');
    await h.arena.step(4);
    await page.waitForFunction((b) => document.querySelector('[data-testid=tile-arena]')?.textContent !== b, before);
    await page.waitForSelector('#log li[data-kind=fill]');
    await page.click('#leaderboard tr[data-agent=pyramid]');
    expect(await page.textContent('[data-testid=drawer-agent]')).toBe('pyramid');
    await page.keyboard.press('Escape');
  });

  it('vets an intent from the firewall console and shows the signed verdict with all 14 gates', async () => {
    await page.fill('#agent-token', h.tokens.alice);
    await page.fill('#intent-size', '120');
    await page.click('[data-testid=vet]');
    const verdict = await page.waitForSelector('[data-testid=verdict] .verdict');
    expect(await verdict.getAttribute('data-decision')).toBe('ALLOW');
    expect(await page.locator('[data-testid=gates] li').count()).toBe(14);
    expect(await page.locator('[data-testid=gates] li.pass').count()).toBeGreaterThan(10);
  });

  it('verifies the certificate in the browser (WebCrypto and pure JS), and fails it after a byte is tampered', async () => {
    await page.click('[data-testid=to-verifier]');
    await page.waitForSelector('[data-testid=verify-result] .verify-head.ok');
    expect(await page.getAttribute('[data-testid=verify-result] .verify-head', 'data-status')).toBe('valid');
    await page.selectOption('[data-testid=verify-backend]', 'noble');
    await page.click('[data-testid=verify]');
    await page.waitForSelector('[data-testid=verify-result] .checks >> text=@noble/ed25519');
    expect(await page.getAttribute('[data-testid=verify-result] .verify-head', 'data-status')).toBe('valid');
    await page.selectOption('[data-testid=verify-backend]', 'auto');
    await page.click('[data-testid=tamper]');
    await page.waitForSelector('[data-testid=verify-result] .verify-head.bad');
    expect(await page.getAttribute('[data-testid=verify-result] .verify-head', 'data-status')).toBe(
      'invalid_signature',
    );
    expect(verifyCalls, 'the signature was checked by the page, not the server').toEqual([]);
  });

  it('approving a pending order from the queue executes it, and the log shows the fill', async () => {
    await page.fill('#intent-size', '430');
    await page.click('[data-testid=place]');
    await page.waitForSelector('[data-testid=verdict] .verdict[data-decision=PENDING_APPROVAL]');
    const card = await page.waitForSelector('[data-testid=approvals] .approval.pending');
    const approvalId = await card.getAttribute('data-approval');
    await card.$eval('[data-testid=approve]', (b) => (b as HTMLButtonElement).click());
    await page.waitForSelector(
      `[data-testid=approvals] .approval[data-approval="${approvalId}"][data-status=executed]`,
    );
    await page.waitForSelector('#log li[data-kind=approval][data-status=executed]');
    const fill = page.locator('#log li[data-kind=fill]', { hasText: 'alice' });
    await fill.first().waitFor();
    expect(await fill.count()).toBeGreaterThan(0);
  });

  it('halting from the dashboard refuses the next order', async () => {
    await page.click('[data-testid=kill-switch]');
    await page.waitForSelector('[data-testid=kill-switch][data-state=halted]');
    expect(await page.isVisible('#halt-banner')).toBe(true);
    await page.fill('#intent-size', '110');
    await page.click('[data-testid=place]');
    await page.waitForSelector('[data-testid=verdict] .verdict[data-decision=REJECT]');
    expect(await page.textContent('[data-testid=verdict] .reasons')).toContain('HALTED_GLOBAL');
    await page.waitForSelector('#log li[data-kind=halt]');
    await page.click('[data-testid=kill-switch]');
    await page.waitForSelector('[data-testid=kill-switch][data-state=running]');
  });

  it('saves screenshots of the dashboard on a laptop and a phone, with no console errors', async () => {
    await h.arena.step(6);
    await page.fill('#intent-size', '140');
    await page.click('[data-testid=vet]');
    await page.click('[data-testid=to-verifier]');
    await page.waitForSelector('[data-testid=verify-result] .verify-head.ok');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1_200);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    phone.on('pageerror', (e) => problems.push(`phone pageerror: ${e.message}`));
    await phone.addInitScript((t) => sessionStorage.setItem('arbiter.adminToken', t), h.adminToken);
    await phone.goto(url);
    await phone.waitForSelector('body[data-ready="1"]');
    await phone.waitForTimeout(800);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
    await phone.close();
    expect(problems).toEqual([]);
  });
});
