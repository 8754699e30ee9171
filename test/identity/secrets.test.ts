import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { openStream } from './stream-client.js';
import { http, type Installation, installation, mcpClient, type Served } from './support.js';

const ADMIN = `admin-${'s'.repeat(40)}`;
/** Credential shapes an agent might paste as an id by mistake (all fit the old client-order-id alphabet). */
const SECRETS = [
  'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx012345',
  'AKIAIOSFODNN7EXAMPLE',
  'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJl',
  'arb_agent_0123456789abcdefghijklmnop',
];
const leaks = (text: string) => SECRETS.filter((s) => text.includes(s) || text.includes(s.slice(0, 16)));

describe('secret-shaped values never leave the server', () => {
  let inst: Installation;
  let home: string;
  let server: Served;
  let alice: string;

  beforeAll(async () => {
    inst = await installation({ agents: ['alice'], env: { ARBITER_ADMIN_TOKEN: ADMIN } });
    ({ home, server } = inst);
    alice = inst.tokens.alice!;
  });
  afterAll(async () => inst?.close());

  it('refuses a secret-shaped client order id over HTTP: REJECT INTENT_MALFORMED naming the field and what is accepted', async () => {
    for (const secret of SECRETS) {
      const r = await http(server.base, 'POST', '/v1/orders', {
        token: alice,
        body: { symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: secret },
      });
      expect(r.status).toBe(200);
      expect(r.body.decision, secret).toBe('REJECT');
      expect(r.body.reasons).toEqual(['INTENT_MALFORMED']);
      expect(r.body.messages[0]).toMatch(/field=client_order_id/);
      expect(r.body.messages[0], 'says what is accepted').toMatch(/A-Z a-z 0-9/);
      expect(leaks(r.text), 'the answer does not echo the secret').toEqual([]);
      expect(r.body.order).toBeNull();
    }
  });

  it('refuses a credential too long to be an id at the boundary (400 naming the field) without echoing it', async () => {
    const long = `sk-proj-${'A1b2C3d4'.repeat(10)}`;
    const r = await http(server.base, 'POST', '/v1/vet', {
      token: alice,
      body: { symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: long },
    });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual(['body.client_order_id']);
    expect(r.text.includes(long.slice(0, 16))).toBe(false);
  });

  it('the refused verdicts still verify and re-derive (the bound intent is masked before signing)', async () => {
    const r = cli(home, [
      'vet',
      ...['--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '50'],
      ...['--client-order-id', SECRETS[0]!],
    ]);
    expect(r.code, r.err).toBe(3);
    expect(leaks(r.out)).toEqual([]);
    const file = join(home, 'secret-verdict.json');
    writeFileSync(file, r.out);
    const v = cli(home, ['verify', file, '--rederive']);
    expect(v.code, v.out).toBe(0);
    const sym = cli(home, ['vet', '--agent', 'alice', '--symbol', SECRETS[1]!, '--side', 'buy', '--notional', '50']);
    expect(sym.code).toBe(3);
    expect(leaks(sym.out), 'a secret in another field is masked too').toEqual([]);
  });

  it('refuses it over MCP too, without echoing it', async () => {
    const c = await mcpClient(server.base, alice, 'secrets');
    try {
      const r = (await c.callTool({
        name: 'place_order',
        arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 70, client_order_id: SECRETS[2] },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      const text = JSON.stringify(r);
      expect(text).toContain('INTENT_MALFORMED');
      expect(leaks(text)).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('masks what is secret-shaped on /v1/ledger, the export, the stream and /v1/halts, and the chain still verifies', async () => {
    const stream = await openStream(server.base, ADMIN, { backlog: 0 });
    try {
      const halt = await http(server.base, 'POST', '/v1/halt', {
        token: ADMIN,
        body: { scope: 'agent', agent: 'alice', reason: `rotated ${SECRETS[0]} after a leak` },
      });
      expect(halt.status, halt.text).toBe(200);
      const ev = await stream.next((e) => e.type === 'halt');
      expect(leaks(JSON.stringify(ev))).toEqual([]);
      expect(JSON.stringify(ev)).toContain('[redacted]');
    } finally {
      stream.close();
    }
    const page = await http(server.base, 'GET', '/v1/ledger?order=desc&limit=50', { token: ADMIN });
    expect(page.status).toBe(200);
    expect(leaks(page.text)).toEqual([]);
    const masked = page.body.records.filter((r: { redacted?: boolean }) => r.redacted === true);
    expect(masked.length, 'the halt record is marked as masked').toBeGreaterThan(0);
    const halts = await http(server.base, 'GET', '/v1/halts', { token: ADMIN });
    expect(leaks(halts.text)).toEqual([]);
    const out = join(home, 'ledger.jsonl');
    expect(cli(home, ['ledger', 'export', '--out', out]).code).toBe(0);
    expect(leaks(readFileSync(out, 'utf8'))).toEqual([]);
    const verify = await http(server.base, 'GET', '/v1/ledger/verify', { token: ADMIN });
    expect(verify.body.ok, JSON.stringify(verify.body.problems)).toBe(true);
  });

  it('refuses a secret-shaped agent name', () => {
    const r = cli(home, ['agents', 'add', SECRETS[0]!]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/agent name/);
    expect(leaks(r.out + r.err)).toEqual([]);
  });
});
