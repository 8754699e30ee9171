import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempHome } from '../support/cli.js';

describe('arbiter mcp --mode shadow (the prediction-market name for paper)', () => {
  let home: string;
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = '';

  beforeAll(async () => {
    home = tempHome('arbiter-shadow-');
    cli(home, ['mandate', 'init']);
    client = new Client({ name: 'shadow-test', version: '1.0.0' });
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--agent', 'alice', '--mode', 'shadow'],
      env: { ...process.env, ARBITER_HOME: home } as Record<string, string>,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => {
      stderr += d;
    });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('starts in paper mode with the trading tools listed', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('place_order');
    expect(names).toContain('vet_trade');
    expect(stderr).toContain('mode=paper');
  });
});
