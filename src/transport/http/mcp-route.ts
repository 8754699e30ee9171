import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../ports/store.js';
import type { Session } from '../../services/firewall-service.js';
import type { ArbiterMcp } from '../mcp/server.js';
import { agentForToken, bearer } from './auth.js';

interface Live {
  readonly transport: StreamableHTTPServerTransport;
  readonly mcp: ArbiterMcp;
  readonly agentId: string;
}

function rpcError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply.code(status).send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * Streamable HTTP MCP at /mcp. Every request carries the agent's bearer token; a session is bound to the agent
 * that opened it. Unknown session ids get 404, a missing one on anything but initialize gets 400 (the spec's
 * answers), and a token for another agent gets 403.
 */
export function registerMcpRoute(
  app: FastifyInstance,
  opts: {
    store: Store;
    venue: string;
    makeMcp: (session: Session) => ArbiterMcp;
    /** Operator opt-in: requests without a token act as this agent (loopback-bound servers only). */
    localAgent?: { agentId: string; accountId: string } | null;
  },
): { close(): Promise<void>; sessions(): number } {
  const sessions = new Map<string, Live>();

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
      if (!live) return rpcError(reply, 404, -32001, 'Session not found');
      if (live.agentId !== agent.agentId) return rpcError(reply, 403, -32001, 'this session belongs to another agent');
    } else {
      if (req.method !== 'POST' || !isInitializeRequest(req.body))
        return rpcError(reply, 400, -32000, 'Bad Request: No valid session ID provided');
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
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, mcp, agentId: agent.agentId });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await mcp.refreshHalt();
      await mcp.server.connect(transport);
      live = { transport, mcp, agentId: agent.agentId };
    }
    await live.mcp.refreshHalt();
    reply.hijack();
    await live.transport.handleRequest(req.raw, reply.raw, req.body);
  };

  app.post('/mcp', handler);
  app.get('/mcp', handler);
  app.delete('/mcp', handler);
  return {
    async close() {
      for (const s of sessions.values()) await s.transport.close().catch(() => undefined);
      sessions.clear();
    },
    sessions: () => sessions.size,
  };
}
