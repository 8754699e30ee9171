import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { redactString } from '../../core/audit/redact.js';
import { registerAccountTools } from './account-tools.js';
import { registerArenaTools } from './arena-tools.js';
import type { McpContext } from './context.js';
import { registerFirewallTools } from './firewall-tools.js';
import { registerMarketTools } from './market-tools.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { failure } from './results.js';
import { registerTradingTools } from './trading-tools.js';

export interface ArbiterMcp {
  readonly server: McpServer;
  /** Re-reads the halt state; write tools leave the list while halted and come back on resume. */
  refreshHalt(): Promise<boolean>;
}

export const SERVER_INFO = { name: 'arbiter', version: '0.1.0' } as const;

/**
 * One MCP server per session: the tools see one agent, fixed when the session started. The tool list follows
 * the mode (readonly: market data and vetting; paper / live: trading too) and the halt state.
 */
export function createArbiterMcp(ctx: McpContext): ArbiterMcp {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, resources: {}, prompts: {}, logging: {} },
    instructions:
      'Arbiter vets every order with a signed, fail-closed firewall. Read the house_rules prompt first; use vet_trade before place_order when unsure.',
  });
  // The per-agent request budget is applied where a transport is connected (meterRequests), for every request.
  const wrap =
    <A>(fn: (args: A) => Promise<CallToolResult>) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        return await fn(args);
      } catch (e) {
        // A local failure: a clear, redacted message, never a stack trace.
        const err = e as Error & { code?: string };
        return failure(
          typeof err.code === 'string' ? err.code : 'INTERNAL_ERROR',
          redactString(err.message ?? String(e)).slice(0, 500),
        );
      }
    };
  registerMarketTools(server, ctx, wrap);
  registerFirewallTools(server, ctx, wrap);
  let writeTools: RegisteredTool[] = [];
  if (ctx.mode !== 'readonly') {
    registerAccountTools(server, ctx, wrap);
    writeTools = registerTradingTools(server, ctx, wrap);
  }
  if (ctx.arena) registerArenaTools(server, ctx, wrap);
  registerResources(server, ctx);
  registerPrompts(server, ctx);

  let halted = false;
  let checkedAt = Number.NEGATIVE_INFINITY;
  return {
    server,
    async refreshHalt() {
      // At most every 250 ms per session: the firewall refuses writes while halted whatever the tool list says.
      const t = ctx.now();
      if (t - checkedAt < 250) return halted;
      checkedAt = t;
      const now = await ctx.limits.halted(ctx.session).catch(() => true);
      if (now !== halted) {
        halted = now;
        for (const t of writeTools) {
          if (halted) t.disable();
          else t.enable();
        }
      }
      return halted;
    },
  };
}
