import { type ChildProcess, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempHome } from './support/cli.js';
import { freePort, startServe, stopServe } from './support/mcp.js';

// The Inspector's CLI (what `npx @modelcontextprotocol/inspector --cli` runs), invoked directly.
const INSPECTOR = join(
  import.meta.dirname,
  '..',
  'node_modules',
  '@modelcontextprotocol',
  'inspector-cli',
  'build',
  'index.js',
);

function inspector(home: string, target: string[], method: string[]) {
  const r = spawnSync(process.execPath, [INSPECTOR, ...target, ...method], {
    env: { ...process.env, ARBITER_HOME: home },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the MCP Inspector CLI as a real client', () => {
  let home: string;
  let port: number;
  let serve: ChildProcess;

  beforeAll(async () => {
    home = tempHome();
    cli(home, ['mandate', 'init']);
    port = await freePort();
    serve = await startServe(home, port, ['--local-agent', 'inspector']);
  });
  afterAll(async () => {
    await stopServe(serve);
    rmSync(home, { recursive: true, force: true });
  });

  const stdio = () => [process.execPath, BIN, 'mcp', '--agent', 'inspector-stdio'];
  const http = () => [`http://127.0.0.1:${port}/mcp`, '--transport', 'http'];
  const place = (coid: string) => [
    '--method',
    'tools/call',
    '--tool-name',
    'place_order',
    '--tool-arg',
    'symbol=BTC/USDT:USDT',
    '--tool-arg',
    'side=buy',
    '--tool-arg',
    'notional=80',
    '--tool-arg',
    `client_order_id=${coid}`,
  ];

  for (const [name, target] of [
    ['stdio', stdio],
    ['Streamable HTTP', http],
  ] as const) {
    it(`lists tools over ${name}`, () => {
      const r = inspector(home, target(), ['--method', 'tools/list']);
      expect(r.code, r.err).toBe(0);
      const names = (JSON.parse(r.out) as { tools: { name: string }[] }).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['place_order', 'vet_trade', 'get_ticker']));
    });

    it(`round-trips place_order over ${name}`, () => {
      const r = inspector(home, target(), place(`insp-${name.length}`));
      expect(r.code, r.err).toBe(0);
      const sc = JSON.parse(r.out).structuredContent;
      expect(sc.decision).toBe('ALLOW');
      expect(sc.order.status).toBe('filled');
      expect(sc.certificate, 'compact: the certificate is a resource').toBeUndefined();
      expect(sc.certificate_uri).toBe(`arbiter://certificates/${sc.verdict_id}`);
      const cert = inspector(home, target(), ['--method', 'resources/read', '--uri', sc.certificate_uri]);
      expect(cert.code, cert.err).toBe(0);
      expect(JSON.parse(JSON.parse(cert.out).contents[0].text).payload.id).toBe(sc.verdict_id);
    });

    it(`refuses an unknown argument by name over ${name}, listing the accepted ones`, () => {
      const r = inspector(home, target(), [...place(`insp-x-${name.length}`), '--tool-arg', 'notional_usd=80']);
      const out = `${r.out}${r.err}`;
      expect(out).toContain('unknown argument');
      expect(out).toContain('notional_usd');
      expect(out).toContain('accepted: symbol, side, quantity, notional');
    });

    it(`reads candles by the symbol as typed over ${name}`, () => {
      const r = inspector(home, target(), ['--method', 'resources/read', '--uri', 'arbiter://candles/BTC/USDT/1h']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(JSON.parse(r.out).contents[0].text).length).toBeGreaterThan(0);
    });
  }
});
