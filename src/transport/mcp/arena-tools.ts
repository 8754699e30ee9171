import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpContext } from './context.js';
import { denied, ok } from './results.js';
import { anyObject, intentShape, strictInput } from './schemas.js';

type Wrap = <A>(fn: (args: A) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

/** External arena agents: the same firewall and identity rules; the agent id is the session's. */
export function registerArenaTools(server: McpServer, ctx: McpContext, wrap: Wrap): void {
  const arena = ctx.arena;
  if (!arena) return;
  const agent = ctx.session.agentId;
  const hints = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
  server.registerTool(
    'join_arena',
    {
      title: 'Join the arena',
      description: 'Registers this agent for the running arena (equal capital, same data, same firewall).',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ joined: z.boolean() }),
      annotations: hints,
    },
    wrap(async () => ok(await arena.join(agent))),
  );
  server.registerTool(
    'get_observation',
    {
      title: 'Arena observation',
      description:
        'The current bar: closed candles up to now, your portfolio and the round deadline. Never data from the future.',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ bar: z.number() }),
      annotations: { ...hints, readOnlyHint: true },
    },
    wrap(async () => ok(await arena.observation(agent))),
  );
  server.registerTool(
    'submit_intent',
    {
      title: 'Submit an arena intent',
      description:
        'Your decision for this round (an order intent, or none). Vetted by the same firewall; a missed deadline is no trade.',
      inputSchema: strictInput({ intent: strictInput(intentShape).nullable() }),
      outputSchema: z.looseObject({ accepted: z.boolean(), result: anyObject.optional() }),
      annotations: { ...hints, idempotentHint: false },
    },
    wrap(async (a: { intent: unknown }) => {
      const r = await arena.submit(agent, a.intent);
      return r.accepted === false ? denied(r) : ok(r);
    }),
  );
}
