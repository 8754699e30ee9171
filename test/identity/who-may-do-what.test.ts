import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/app/cli.js';
import { type Installation, installation, mcpClient, type Served } from './support.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const ADMIN = `admin-${'w'.repeat(40)}`;

/** The README section, from its heading to the next heading of the same or a higher level. */
function section(): string {
  const start = README.indexOf('### Who may do what');
  expect(start, 'the README has a "Who may do what" section').toBeGreaterThan(0);
  const end = README.slice(start + 5).search(/\n#{2,3} /);
  return README.slice(start, end < 0 ? undefined : start + 5 + end);
}

interface Row {
  readonly key: string;
  readonly anonymous: string;
  readonly agent: string;
  readonly admin: string;
}

function httpRows(): Row[] {
  const rows: Row[] = [];
  for (const line of section().split('\n')) {
    const m = /^\| `(GET|POST|DELETE) (\/[^`]*)`[^|]*\| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/.exec(line);
    if (m) rows.push({ key: `${m[1]} ${m[2]}`, anonymous: m[3]!.trim(), agent: m[4]!.trim(), admin: m[5]!.trim() });
  }
  return rows;
}

/** What a cell says a caller gets: allowed, or refused with which status. */
function expected(cell: string): 'allowed' | 401 | 403 {
  if (cell.startsWith('no (401')) return 401;
  if (cell.startsWith('no (403')) return 403;
  expect(cell, 'a cell starts with yes, own, all or no (4xx)').toMatch(/^(yes|own|all)\b/);
  return 'allowed';
}

describe('the README table "who may do what" is true', () => {
  let inst: Installation;
  let server: Served;
  let agent: string;
  let doc: any;

  beforeAll(async () => {
    inst = await installation({
      agents: ['alice'],
      env: { ARBITER_ADMIN_TOKEN: ADMIN },
      args: ['--arena', 'csv:data/BTCUSDT_1h.csv', '--arena-start-after', '60000'],
    });
    server = inst.server;
    agent = inst.tokens.alice!;
    doc = await (await fetch(`${server.base}/openapi.json`)).json();
  });
  afterAll(async () => inst?.close());

  it('lists every HTTP route the server registers, and no other', () => {
    const registered = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const documented = httpRows().map((r) => r.key);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it("says for each route what the server's contract says (open, agent, admin, or either)", () => {
    for (const row of httpRows()) {
      const [method, path] = row.key.split(' ') as [string, string];
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')][method.toLowerCase()];
      const schemes = (op.security as Record<string, unknown>[]).map((s) => Object.keys(s)[0]);
      expect(expected(row.anonymous) === 'allowed', `${row.key} anonymous`).toBe(schemes.length === 0);
      if (schemes.length === 0) continue;
      expect(expected(row.agent) === 'allowed', `${row.key} agent`).toBe(schemes.includes('agentToken'));
      if (path !== '/mcp')
        expect(expected(row.admin) === 'allowed', `${row.key} admin`).toBe(schemes.includes('adminToken'));
      if (schemes.length === 2) {
        expect(row.agent, `${row.key}: an agent's view on a shared route is described`).toMatch(/^(own|yes \()/);
        expect(row.admin).toBe('all');
      }
    }
  });

  it('is what the server does: each route called anonymously, with an agent token and with the admin token', async () => {
    const problems: string[] = [];
    for (const row of httpRows()) {
      const [method, template] = row.key.split(' ') as [string, string];
      const path = template.replace(/:(\w+)/g, 'probe-$1');
      for (const [who, token, cell] of [
        ['anonymous', undefined, row.anonymous],
        ['agent', agent, row.agent],
        ['admin', ADMIN, row.admin],
      ] as const) {
        const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
        if (token) headers.authorization = `Bearer ${token}`;
        // A body no route accepts (strict schemas): an authorised caller gets a 400, never a side effect.
        const body = method === 'GET' ? undefined : JSON.stringify({ __probe: true });
        if (body) headers['content-type'] = 'application/json';
        const res = await fetch(`${server.base}${path}`, { method, headers, ...(body ? { body } : {}) });
        await res.body?.cancel();
        const want = expected(cell);
        const got = res.status;
        const ok = want === 'allowed' ? got !== 401 && got !== 403 : got === want;
        if (!ok) problems.push(`${row.key} as ${who}: table says "${cell}", server answered ${got}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names every MCP tool, resource and prompt an agent is offered, and no other', async () => {
    const c = await mcpClient(server.base, agent, 'table');
    try {
      const offered = [
        ...(await c.listTools()).tools.map((t) => t.name),
        ...(await c.listResources()).resources.map((r) => r.uri).filter((u) => !u.startsWith('arbiter://candles/')),
        ...(await c.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate),
        ...(await c.listPrompts()).prompts.map((p) => p.name),
      ];
      const mcpTable = section().slice(section().indexOf('| MCP |'));
      const named = [...mcpTable.slice(0, mcpTable.indexOf('\n\n')).matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      expect([...new Set(named)].filter((n) => n !== 'serve --arena').sort()).toEqual([...new Set(offered)].sort());
    } finally {
      await c.close();
    }
  });

  it("names every CLI command as the operator's", () => {
    // The program bin/arbiter.js runs (the same registrations), read in process.
    const commands = buildProgram().commands.flatMap((c) =>
      c.commands.length === 0 ? [c.name()] : c.commands.map((s) => `${c.name()} ${s.name()}`),
    );
    const para = section().slice(section().indexOf('The CLI is the operator'));
    const listed = [...para.slice(0, para.indexOf('\n\n')).matchAll(/`([a-z]+(?: [a-z|]+)?)`/g)].flatMap((m) => {
      const [cmd, subs] = m[1]!.split(' ');
      return subs ? subs.split('|').map((s) => `${cmd} ${s}`) : [cmd!];
    });
    expect([...new Set(listed)].sort()).toEqual([...commands].sort());
  });
});
