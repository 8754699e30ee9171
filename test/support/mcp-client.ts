import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN } from './cli.js';

/** The SDK's MCP client connected over stdio to `arbiter mcp` (the built CLI, its own process) as `agent`. */
export async function stdioClient(home: string, agent: string, name = 'test'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--agent', agent],
      env: { ...process.env, ARBITER_HOME: home } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  return client;
}
