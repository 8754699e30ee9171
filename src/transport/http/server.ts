import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '../../ports/store.js';
import type { Session } from '../../services/firewall-service.js';
import type { ArbiterMcp } from '../mcp/server.js';
import { hostGuard } from './host-guard.js';
import { type McpLimits, registerMcpRoute } from './mcp-route.js';

export interface HttpOptions {
  readonly port: number;
  readonly host: string;
  readonly store: Store;
  readonly venue: string;
  readonly makeMcp: (session: Session) => ArbiterMcp;
  /** Extra host names the server is reachable by (behind a proxy); loopback names are always allowed. */
  readonly allowedHosts?: readonly string[];
  /** Operator opt-in for single-agent local use (e.g. clients that cannot send headers): loopback only. */
  readonly localAgent?: { agentId: string; accountId: string } | null;
  /** MCP session limits and the per-agent request budget (safe defaults when absent). */
  readonly mcpLimits?: McpLimits;
  /** Registers the REST API, dashboard and metrics on the same app (`mcpSessions` counts open MCP sessions). */
  readonly extend?: (app: FastifyInstance, parts: { mcpSessions: () => number }) => Promise<void> | void;
}

/**
 * The HTTP face of `arbiter serve`: Streamable HTTP MCP at /mcp, health, and whatever `extend` adds. Every
 * request passes the Host / Origin check first; errors never carry a stack trace.
 */
export async function buildHttpApp(opts: HttpOptions): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  const guard = hostGuard(opts.port, opts.allowedHosts ?? []);
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    const r = guard.check(req.headers.host, Array.isArray(origin) ? origin[0] : origin);
    if (!r.ok) return reply.code(403).send({ error: 'FORBIDDEN_HOST', message: r.reason });
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const message = status === 500 ? 'internal error' : err.message;
    void reply.code(status).send({ error: status === 500 ? 'INTERNAL_ERROR' : (err.code ?? 'BAD_REQUEST'), message });
  });
  app.get('/health', async () => ({ status: 'ok' }));
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(opts.host);
  if (opts.localAgent && !loopback) throw new Error('--local-agent is only allowed on a loopback-bound server');
  const mcp = registerMcpRoute(app, {
    store: opts.store,
    venue: opts.venue,
    makeMcp: opts.makeMcp,
    localAgent: opts.localAgent ?? null,
    ...(opts.mcpLimits ? { limits: opts.mcpLimits } : {}),
  });
  if (opts.extend) await opts.extend(app, { mcpSessions: mcp.sessions });
  return {
    app,
    async close() {
      await mcp.close();
      await app.close();
    },
  };
}
