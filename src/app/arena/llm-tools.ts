import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { nodeEd25519Verify } from '../../adapters/crypto/node-signer.js';
import type { ModelTool } from '../../ports/model.js';
import { ApprovalService } from '../../services/approval-service.js';
import type { ToolConnect, ToolSession } from '../../services/arena/llm-tool-agent.js';
import type { ArenaParts } from '../../services/arena/types.js';
import { LimitsService } from '../../services/limits-service.js';
import { OrderService } from '../../services/order-service.js';
import { createArbiterMcp } from '../../transport/mcp/server.js';

/**
 * The tools a tool-mode model is offered: the arena's read and trading tools and the market's read tools. Not
 * `join_arena` (the roster joined it), nor tools that write verdicts outside the round (`vet_trade`).
 */
export const MODEL_TOOLS = [
  'get_observation',
  'submit_intent',
  'get_candles',
  'get_ticker',
  'get_funding_history',
  'get_instruments',
  'get_mandate',
] as const;

/** A tool result as the text the model reads: the structured result when there is one, else the text blocks. */
function resultText(r: Awaited<ReturnType<Client['callTool']>>): string {
  const body = r.structuredContent
    ? JSON.stringify(r.structuredContent)
    : (Array.isArray(r.content) ? r.content : [])
        .filter((c): c is { type: 'text'; text: string } => (c as { type?: string }).type === 'text')
        .map((c) => c.text)
        .join('\n');
  return r.isError ? `ERROR: ${body}` : body;
}

/**
 * Connects a tool-mode agent to Arbiter's own MCP server over the SDK's in-process transport: the server any
 * external agent reaches, built on the arena's firewall, market and venue, its session the agent's arena account.
 * The arena tools act on the agent's desk (its bar's observation, its submitted intent).
 */
export function arenaToolConnect(parts: () => ArenaParts): ToolConnect {
  return async (agentId, desk): Promise<ToolSession> => {
    const p = parts();
    const { deps, firewall } = p;
    const session = {
      agentId,
      accountId: `arena:${agentId}`,
      venue: p.venueName,
      sessionId: `arena-tools:${agentId}`,
    };
    const mcp = createArbiterMcp({
      session,
      mode: 'readonly',
      firewall,
      orders: new OrderService(deps, firewall),
      approvals: new ApprovalService(deps, firewall),
      limits: new LimitsService(deps),
      market: deps.market,
      venue: null,
      mandate: () => deps.mandates.load(p.venueName),
      ledgerHead: () => deps.store.ledgerHead(),
      verdict: (id) => deps.store.verdict(id),
      ed25519Verify: nodeEd25519Verify,
      now: () => deps.clock.now(),
      elicitApprovals: false,
      arena: {
        join: async () => ({ joined: true }),
        observation: async () => desk.observation(),
        submit: async (_agent, intent) => desk.submit(intent),
      },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.server.connect(serverSide);
    const client = new Client({ name: `arbiter-llm-${agentId}`, version: '0.1.0' });
    await client.connect(clientSide);
    const listed = await client.listTools();
    const allowed = new Set<string>(MODEL_TOOLS);
    const tools: ModelTool[] = listed.tools
      .filter((t) => allowed.has(t.name))
      .sort((a, b) => MODEL_TOOLS.indexOf(a.name as never) - MODEL_TOOLS.indexOf(b.name as never))
      .map((t) => ({
        name: t.name,
        description: t.description ?? t.title ?? t.name,
        input_schema: t.inputSchema as Record<string, unknown>,
      }));
    return {
      tools,
      call: async (name, args) => resultText(await client.callTool({ name, arguments: { ...args } })),
      close: () => client.close(),
    };
  };
}
