import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCertificate } from '../../src/client/index.js';
import type { Certificate } from '../../src/core/cert/certificate.js';
import { BIN, cli, tempHome } from '../support/cli.js';
import { freePort, stopServe } from '../support/mcp.js';
import { http, resign, type Served, serve } from './support.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Certificates the issuer really signed, whose times cannot be true, and the status each must get. */
function impossible(home: string, cert: Certificate): [string, Certificate, string][] {
  const now = Date.now();
  return [
    [
      'issued an hour in the future',
      resign(home, cert, (p) => {
        p.issued_at = iso(now + HOUR);
        p.expires_at = iso(now + HOUR + 300_000);
      }),
      'issued_in_future',
    ],
    [
      'issued after it expires',
      resign(home, cert, (p) => {
        p.issued_at = iso(now - 1_000);
        p.expires_at = iso(now - 2_000);
      }),
      'issued_after_expiry',
    ],
    [
      'valid until the year 9999',
      resign(home, cert, (p) => {
        p.issued_at = iso(now - 1_000);
        p.expires_at = '9999-12-31T23:59:59.000Z';
      }),
      'lifetime_too_long',
    ],
    [
      "living an hour although its mandate's certificate_ttl_seconds is 300",
      resign(home, cert, (p) => {
        p.issued_at = iso(now - 1_000);
        p.expires_at = iso(now + HOUR);
      }),
      'lifetime_too_long',
    ],
  ];
}

describe('verify refuses certificates whose times are impossible, through every verifier', () => {
  let home: string;
  let cert: Certificate;
  let server: Served;
  let mcp: Client;
  let cases: [string, Certificate, string][];
  let control: Certificate;

  beforeAll(async () => {
    home = tempHome();
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    const v = cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '50']);
    expect(v.code, v.err).toBe(0);
    cert = JSON.parse(v.out).certificate;
    cases = impossible(home, cert);
    control = resign(home, cert, (p) => {
      p.issued_at = iso(Date.now() - 1_000);
      p.expires_at = iso(Date.now() + 299_000);
    });
    server = await serve(home, await freePort());
    mcp = new Client({ name: 'times', version: '1' });
    await mcp.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'alice'],
        env: { ...process.env, ARBITER_HOME: home } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
  });
  afterAll(async () => {
    await mcp?.close();
    if (server) await stopServe(server.child as ChildProcess);
    rmSync(home, { recursive: true, force: true });
  });

  it('accepts the control: the same certificate re-signed with sane times is valid (so the forging is sound)', async () => {
    const file = join(home, 'control.json');
    writeFileSync(file, JSON.stringify(control));
    const r = cli(home, ['verify', file]);
    expect(r.code, r.out + r.err).toBe(0);
  });

  it('arbiter verify exits 1 with a distinct status for each', () => {
    for (const [what, c, status] of cases) {
      const file = join(home, `${status}.json`);
      writeFileSync(file, JSON.stringify(c));
      const r = cli(home, ['verify', file]);
      expect(r.code, `${what}: ${r.out}`).toBe(1);
      expect(JSON.parse(r.out).status, what).toBe(status);
      expect(JSON.parse(r.out).message, what).toMatch(new RegExp(`^${status.toUpperCase()}: `));
    }
  });

  it('arbiter verify --allow-expired still refuses them (they are impossible, not merely old)', () => {
    for (const [what, c, status] of cases) {
      const file = join(home, `${status}-old.json`);
      writeFileSync(file, JSON.stringify(c));
      const r = cli(home, ['verify', file, '--allow-expired']);
      expect(JSON.parse(r.out).status, what).toBe(status);
    }
  });

  it('POST /v1/verify answers ok=false with the same statuses', async () => {
    for (const [what, c, status] of cases) {
      const r = await http(server.base, 'POST', '/v1/verify', { body: c });
      expect(r.status, what).toBe(200);
      expect(r.body.ok, what).toBe(false);
      expect(r.body.status, what).toBe(status);
    }
    expect((await http(server.base, 'POST', '/v1/verify', { body: control })).body.status).toBe('valid');
  });

  it('the verify_certificate MCP tool refuses them with the same statuses', async () => {
    for (const [what, c, status] of cases) {
      const r = (await mcp.callTool({
        name: 'verify_certificate',
        arguments: { certificate: c, allow_expired: true },
      })) as CallToolResult;
      expect(r.isError, what).toBe(true);
      expect((r.structuredContent as { status: string }).status, what).toBe(status);
    }
  });

  it('arbiter/client verifyCertificate refuses them offline with the same statuses', async () => {
    const issuer = (await http(server.base, 'GET', '/v1/pubkey')).body;
    for (const [what, c, status] of cases) {
      const r = await verifyCertificate(c, issuer, { allowExpired: true });
      expect(r.status, what).toBe(status);
    }
    expect((await verifyCertificate(control, issuer)).status).toBe('valid');
  });

  it("the dashboard's in-browser verifier shows the same statuses", async () => {
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu'],
      });
      const page = await browser.newPage();
      await page.goto(`${server.base}/`);
      await page.waitForSelector('#pin-key-id');
      await page.waitForFunction(() => (document.querySelector('#pin-key-id') as HTMLInputElement).value !== '');
      for (const [what, c, status] of cases) {
        await page.fill('[data-testid=cert-input]', JSON.stringify(c));
        await page.click('[data-testid=verify]');
        await page.waitForSelector(`[data-testid=verify-result] .verify-head[data-status="${status}"]`, {
          timeout: 15_000,
        });
        expect(await page.textContent('[data-testid=verify-result]'), what).toContain(status.toUpperCase());
      }
    } finally {
      await browser?.close();
    }
  });
});
