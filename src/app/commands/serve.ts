import type { Command } from 'commander';
import { buildHttpApp } from '../../transport/http/server.js';
import type { McpMode } from '../../transport/mcp/context.js';
import { createArbiterMcp } from '../../transport/mcp/server.js';
import { createContext } from '../context.js';
import { ensurePaperMandate } from './mandate.js';
import { createMarketData } from '../market.js';
import { assertLiveMandate, buildServices, mcpContext, startReconciler } from '../services.js';
import { loadSettings } from '../settings.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('HTTP server: Streamable HTTP MCP at /mcp (agents authenticate with bearer tokens)')
    .option('--port <port>', 'port', '7070')
    .option('--host <host>', 'interface to bind (127.0.0.1 unless told otherwise)', '127.0.0.1')
    .option('--mode <mode>', 'readonly, paper or live')
    .option('--allowed-host <name...>', 'extra Host names accepted (behind a proxy)')
    .option(
      '--local-agent <id>',
      'requests without a bearer token act as this agent (loopback only; for clients that cannot send headers)',
    )
    .action(async (o) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw Object.assign(new Error(`--port must be 0-65535; got ${o.port}`), { code: 'BAD_ARGUMENT' });
      const settings = loadSettings(process.env, o.mode ? { mode: o.mode as McpMode } : {});
      if (settings.mode === 'paper') ensurePaperMandate(settings.home, settings.venue);
      const app = await createContext(settings, { market: await createMarketData(settings) });
      if (settings.mode === 'live') assertLiveMandate(app, settings.venue);
      const services = buildServices(app);
      const http = await buildHttpApp({
        port,
        host: o.host,
        store: app.deps.store,
        venue: settings.venue,
        allowedHosts: o.allowedHost ?? [],
        localAgent: o.localAgent ? { agentId: o.localAgent, accountId: settings.account } : null,
        makeMcp: (session) => createArbiterMcp(mcpContext(app, services, session, settings.mode)),
      });
      const stopReconciler = startReconciler(app, services);
      const address = await http.app.listen({ port, host: o.host });
      process.stderr.write(
        `arbiter serve: ${address} (mode=${settings.mode}, venue=${settings.venue}); MCP at ${address}/mcp\n`,
      );
      const shutdown = async () => {
        stopReconciler();
        await http.close();
        await app.ledger.checkpoint().catch(() => undefined);
        await app.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown());
      process.on('SIGTERM', () => void shutdown());
    });
}
