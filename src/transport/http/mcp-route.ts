import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../ports/store.js';
import type { Session } from '../../services/firewall-service.js';
import { CallThrottle, meterRequests } from '../mcp/call-throttle.js';
import type { ArbiterMcp } from '../mcp/server.js';
import { agentForToken, bearer } from './auth.js';
import { McpSessions, type SessionLimits } from './mcp-sessions.js';

interface Live {
  readonly transport: StreamableHTTPServerTransport;
  readonly mcp: ArbiterMcp;
  readonly agentId: string;
  close(): Promise<void>;
}

export interface McpLimits extends SessionLimits {
  /** Requests per agent, across all its sessions in this server (ARBITER_MCP_CALLS). */
  readonly calls: { readonly perSecond: number; readonly perMinute: number };
}

/** Safe defaults (the settings' defaults) for callers that do not pass limits. */
export const DEFAULT_MCP_LIMITS: McpLimits = {
  idleMs: 900_000,
  perAgent: 8,
  calls: { perSecond: 50, perMinute: 1_500 },
};

function rpcError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply.code(status).send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * Streamable HTTP MCP at /mcp. Every request carries the agent's bearer token; a session is bound to the agent
 * that opened it. Unknown (or expired) session ids get 404, a missing one on anything but initialize gets 400 (the
 * spec's answers), and a token for another agent gets 403. Sessions are bounded per agent and expire when idle
 * (McpSessions); every request of an agent, in any of its sessions, is on one budget (meterRequests), and a new
 * session over budget or over the limit gets 429.
 */
export function registerMcpRoute(
  app: FastifyInstance,
  opts: {
    store: Store;
    venue: string;
    makeMcp: (session: Session) => ArbiterMcp;
    /** Operator opt-in: requests without a token act as this agent (loopback-bound servers only). */
    localAgent?: { agentId: string; accountId: string } | null;
    limits?: McpLimits;
    now?: () => number;
  },
): { close(): Promise<void>; sessions(): number } {
  const limits = opts.limits ?? DEFAULT_MCP_LIMITS;
  const now = opts.now ?? Date.now;
  const sessions = new McpSessions<Live>(limits, now);
  const budget = new CallThrottle(limits.calls.perSecond, limits.calls.perMinute);

  const open = async (agent: { agentId: string; accountId: string }): Promise<Live> => {
    const mcp = opts.makeMcp({
      agentId: agent.agentId,
      accountId: agent.accountId,
      venue: opts.venue,
      sessionId: randomUUID(),
    });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Plain JSON answers for request/response calls (server-initiated messages still use the GET stream).
      enableJsonResponse: true,
      onsessioninitialized: (id) => sessions.add(id, live),
    });
    const live: Live = {
      transport,
      mcp,
      agentId: agent.agentId,
      close: async () => {
        await transport.close().catch(() => undefined);
        await mcp.server.close().catch(() => undefined);
      },
    };
    transport.onclose = () => {
      if (transport.sessionId) sessions.forget(transport.sessionId);
    };
    await mcp.refreshHalt();
    await mcp.server.connect(transport);
    meterRequests(transport, budget, agent.agentId, now);
    return live;
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(req.headers.authorization);
    const agent = token === null && opts.localAgent ? opts.localAgent : await agentForToken(opts.store, token);
    if (!agent) {
      reply.header('WWW-Authenticate', 'Bearer realm="arbiter"');
      return rpcError(reply, 401, -32001, 'a valid agent bearer token is required (arbiter agents add NAME)');
    }
    const sid = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(sid) ? sid[0] : sid;
    let live: Live | undefined;
    if (sessionId) {
      live = sessions.get(sessionId);
      if (!live)
        return rpcError(reply, 404, -32001, 'Session not found (unknown, closed or expired: initialize a new one)');
      if (live.agentId !== agent.agentId) return rpcError(reply, 403, -32001, 'this session belongs to another agent');
    } else {
      if (req.method !== 'POST' || !isInitializeRequest(req.body))
        return rpcError(reply, 400, -32000, 'Bad Request: No valid session ID provided');
      // Refused before anything is allocated: a new session does not come with a new budget.
      const over = budget.peek(agent.agentId, now());
      if (over) return rpcError(reply, 429, -32029, over);
      const room = sessions.admit(agent.agentId);
      if (!room.ok) return rpcError(reply, 429, -32029, room.reason);
      live = await open(agent);
    }
    await live.mcp.refreshHalt();
    // A GET is the long-lived server-to-client stream: activity when opened, never "busy" (it would never idle).
    const done = req.method === 'POST' && sessionId ? sessions.begin(sessionId) : null;
    if (req.method !== 'POST' && sessionId) sessions.touch(sessionId);
    reply.hijack();
    try {
      await live.transport.handleRequest(req.raw, reply.raw, req.body);
    } finally {
      done?.();
    }
  };

  app.post('/mcp', handler);
  app.get('/mcp', handler);
  app.delete('/mcp', handler);
  return {
    close: () => sessions.closeAll(),
    sessions: () => sessions.size,
  };
}
