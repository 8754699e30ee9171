import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempHome } from '../support/cli.js';
import { addAgent, freePort, stopServe } from '../support/mcp.js';

const sc = (r: unknown) => (r as CallToolResult).structuredContent as Record<string, any>;

describe('an external agent in the arena over MCP', () => {
  let home: string;
  let port: number;
  let serve: ChildProcess;
  let client: Client;

  beforeAll(async () => {
    home = tempHome();
    cli(home, ['mandate', 'init']);
    const token = addAgent(home, 'outsider');
    port = await freePort();
    serve = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(port), '--arena', 'csv:data/BTCUSDT_1h.csv', '--arena-start-after', '4000'],
      {
        env: { ...process.env, ARBITER_HOME: home, ARBITER_BAR_MS: '400' },
        stdio: 'ignore',
      },
    );
    for (
      let i = 0;
      i < 200 &&
      !(await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    client = new Client({ name: 'outsider', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await stopServe(serve);
    rmSync(home, { recursive: true, force: true });
  });

  it('joins, observes only the past, and has its intents vetted by the same firewall', async () => {
    const joined = await client.callTool({ name: 'join_arena', arguments: {} });
    expect(sc(joined).joined, JSON.stringify(joined.content)).toBe(true);
    const obs = sc(await client.callTool({ name: 'get_observation', arguments: {} }));
    expect(typeof obs.bar).toBe('number');
    const r = await client.callTool({
      name: 'submit_intent',
      arguments: { intent: { symbol: 'BTC/USDT', side: 'buy', notional: 500 } },
    });
    expect(sc(r).accepted, JSON.stringify(r.content)).toBe(true);
    expect(sc(r).bar).toBe(obs.bar);
    const next = sc(await client.callTool({ name: 'get_observation', arguments: {} }));
    expect(next.bar).toBeGreaterThan(obs.bar);
    const [first, second] = await Promise.all([
      client.callTool({ name: 'submit_intent', arguments: { intent: null } }),
      client.callTool({ name: 'submit_intent', arguments: { intent: null } }),
    ]);
    const results = [first, second].map((x) => Boolean(x.isError)).sort();
    expect(results, 'one submission per round: the second is refused').toEqual([false, true]);
  }, 60_000);
});
