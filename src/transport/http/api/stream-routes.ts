import type { Api } from './context.js';
import { HttpError } from './errors.js';
import type { Routes } from './route.js';
import { streamQuery } from './schemas.js';
import type { StreamTickets } from './stream-tickets.js';

/**
 * The event stream and its tickets. A browser's EventSource cannot send a header, so the page first asks for a
 * single-use, 30-second ticket with its token and opens the stream with it; clients that can send headers use the
 * token directly. What a stream carries depends on who opened it: the admin sees every event, an agent its own.
 */
export function streamRoutes(r: Routes, api: Api, tickets: StreamTickets): void {
  const { stream } = api;

  r.add({
    method: 'POST',
    url: '/v1/stream/ticket',
    auth: 'reader',
    agentSees: 'a ticket for a stream of its own events',
    tag: 'status',
    summary: 'A single-use ticket (valid 30 s, one connection) to open /v1/stream?ticket=… from a browser',
    responses: {
      200: '{ ticket, expires_in_ms, url }',
      401: 'no token',
      429: 'too many unused tickets on this server',
    },
    async handler({ principal }) {
      const ticket = tickets.issue(principal!);
      if (ticket === null) throw new HttpError(429, 'TOO_MANY_TICKETS', 'too many unused stream tickets; retry later');
      return { ticket, expires_in_ms: tickets.ttlMs, url: `/v1/stream?ticket=${ticket}` };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/stream',
    auth: 'reader',
    ticket: true,
    agentSees: 'its own verdicts, orders, fills and approvals, the halts that apply to it and the arena',
    tag: 'status',
    summary: 'Server-sent events: verdict, order, fill, approval, halt, leaderboard',
    description:
      'Authenticate with "Authorization: Bearer <token>" or ?ticket= (from POST /v1/stream/ticket; a browser cannot send headers). Each event has an id; a reconnecting client sends Last-Event-ID (or ?last_event_id=) and receives what it missed (up to the last 500). ?types=verdict,fill filters; ?backlog=N replays the last N first.',
    query: streamQuery,
    produces: 'text/event-stream',
    responses: {
      200: 'an event stream',
      401: 'no token, or a ticket that is unknown, used or expired',
      429: 'this agent has too many open streams',
      503: 'too many open streams',
    },
    async handler({ query, req, reply, principal }) {
      const viewer = principal?.kind === 'agent' ? { agentId: principal.session.agentId } : ({ admin: true } as const);
      const refusal = stream.refusal(viewer);
      if (refusal) throw new HttpError(stream.full ? 503 : 429, 'TOO_MANY_STREAMS', refusal);
      const header = Number(req.headers['last-event-id']);
      const last = Number.isInteger(header) && header >= 0 ? header : (query.last_event_id ?? null);
      reply.hijack();
      stream.attach(reply.raw, {
        types: query.types ? new Set(query.types.split(',')) : null,
        lastEventId: last,
        backlog: query.backlog,
        viewer,
      });
      return reply;
    },
  });
}
