import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { CallThrottle, meterRequests } from '../../transport/mcp/call-throttle.js';
import type { McpMode } from '../../transport/mcp/context.js';
import { createArbiterMcp } from '../../transport/mcp/server.js';
import { createContext } from '../context.js';
import { createAdapters } from '../market.js';
import { assertLiveMandate, buildServices, mcpContext, startReconciler } from '../services.js';
import { loadSettings } from '../settings.js';
import { startHaltSync } from './halt.js';
import { ensurePaperMandate } from './mandate.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('MCP server over stdio, as the configured agent (ARBITER_AGENT); paper mode by default')
    .option('--mode <mode>', 'readonly, paper (also called shadow) or live')
    .option('--agent <id>', 'the agent this server acts as (default ARBITER_AGENT or "local")')
    .action(async (o) => {
      const settings = loadSettings(process.env, {
        ...(o.mode ? { mode: o.mode as McpMode } : {}),
        ...(o.agent ? { agent: o.agent } : {}),
      });
      if (settings.mode === 'paper') ensurePaperMandate(settings.home, settings.venue, settings.broker);
      const adapters = await createAdapters(settings);
      const app = await createContext(settings, { market: adapters.market, venues: adapters.venues });
      if (settings.mode === 'live') assertLiveMandate(app, settings.broker);
      const services = buildServices(app);
      const session = {
        agentId: settings.agent,
        accountId: settings.account,
        venue: settings.broker,
        sessionId: `stdio-${process.pid}`,
      };
      const mcp = createArbiterMcp(mcpContext(app, services, session, settings.mode));
      const stopReconciler = startReconciler(app, services);
      await services.halts.sync().catch(() => undefined);
      const stopHaltSync = startHaltSync(services.halts);
      const haltTimer = setInterval(() => void mcp.refreshHalt().catch(() => undefined), 1_000);
      haltTimer.unref();
      await mcp.refreshHalt();
      const transport = new StdioServerTransport();
      const shutdown = async () => {
        clearInterval(haltTimer);
        stopHaltSync();
        stopReconciler();
        await mcp.server.close().catch(() => undefined);
        await app.close();
        process.exit(0);
      };
      transport.onclose = () => void shutdown();
      process.on('SIGINT', () => void shutdown());
      process.on('SIGTERM', () => void shutdown());
      await mcp.server.connect(transport);
      // Every request on this connection (tools, resources, prompts, lists) is on the agent's budget.
      const { perSecond, perMinute } = settings.mcpCalls;
      meterRequests(transport, new CallThrottle(perSecond, perMinute), settings.agent, () => app.deps.clock.now());
      process.stderr.write(
        `arbiter mcp: agent=${settings.agent} mode=${settings.mode} venue=${settings.venue} broker=${settings.broker} (stdio)\n`,
      );
    });
}
