import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type CallToolResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { redactString } from '../../core/audit/redact.js';
import { registerAccountTools } from './account-tools.js';
import { registerArenaTools } from './arena-tools.js';
import { SessionCertificates } from './certificates.js';
import type { McpContext } from './context.js';
import { registerFirewallTools } from './firewall-tools.js';
import { registerMarketTools } from './market-tools.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { failure } from './results.js';
import { registerRiskTools } from './risk-tools.js';
import { PLACE_ORDER_DESCRIPTION, registerTradingTools } from './trading-tools.js';

export interface ArbiterMcp {
  readonly server: McpServer;
  /**
   * Re-reads the halt state. While halted the tools that can only add risk (amend_order, set_leverage) leave the
   * list and place_order says that only reductions pass; cancels, close_position and take-profit / stop-loss
   * stay. They come back on resume.
   */
  refreshHalt(): Promise<boolean>;
}

/** Tools that exist only to add or enlarge risk: listed again on resume. */
const ADDS_RISK = ['amend_order', 'set_leverage'];

export const HALTED_PLACE_ORDER_DESCRIPTION = `TRADING IS HALTED (kill switch): only orders that reduce a position pass (use reduce_only: true); anything that adds exposure is refused with a signed HALTED_* verdict. cancel_order, cancel_all_orders and close_position stay available. ${PLACE_ORDER_DESCRIPTION}`;

export const SERVER_INFO = { name: 'arbiter', version: '0.1.0' } as const;

type RequestHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/** A schema failure (zod's error: an `issues` list) as `path: problem` lines. */
function schemaProblems(e: unknown): string | null {
  const issues = (e as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return null;
  return issues
    .map(
      (i: { path?: PropertyKey[]; message?: string }) =>
        `${(i.path ?? []).map(String).join('.') || '(params)'}: ${i.message}`,
    )
    .join('; ');
}

/**
 * The SDK checks a request's params against the method's schema and, when they do not fit, throws the schema
 * library's error, which goes out as −32603 (internal error). A request the server cannot accept is the client's
 * mistake: −32602 (invalid params), naming each field and what was wrong. The SDK has no hook for this, so each
 * registered method's handler is wrapped (they are all registered by the time the server is built).
 */
function invalidParamsAreInvalidParams(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map)) return;
  const map = handlers as Map<string, RequestHandler>;
  for (const [method, handler] of map) {
    map.set(method, async (request, extra) => {
      try {
        return await handler(request, extra);
      } catch (e) {
        const problems = e instanceof McpError ? null : schemaProblems(e);
        if (problems === null) throw e;
        throw new McpError(ErrorCode.InvalidParams, `invalid params for ${method}: ${problems}`);
      }
    });
  }
}

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
  const certs = new SessionCertificates(ctx.session.agentId, ctx.verdict);
  registerMarketTools(server, ctx, wrap);
  registerFirewallTools(server, ctx, wrap, certs);
  registerRiskTools(server, ctx, wrap);
  let trading: ReadonlyMap<string, RegisteredTool> = new Map();
  if (ctx.mode !== 'readonly') {
    registerAccountTools(server, ctx, wrap);
    trading = registerTradingTools(server, ctx, wrap, certs);
  }
  if (ctx.arena) registerArenaTools(server, ctx, wrap);
  registerResources(server, ctx, certs);
  registerPrompts(server, ctx);
  invalidParamsAreInvalidParams(server);

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
        for (const name of ADDS_RISK) {
          const t = trading.get(name);
          if (halted) t?.disable();
          else t?.enable();
        }
        trading.get('place_order')?.update({
          description: halted ? HALTED_PLACE_ORDER_DESCRIPTION : PLACE_ORDER_DESCRIPTION,
        });
      }
      return halted;
    },
  };
}
