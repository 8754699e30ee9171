import type { Venue } from '../../../ports/venue.js';
import type { Session } from '../../../services/firewall-service.js';
import { OrderServiceError } from '../../../services/order-service.js';
import { readableBalance, readablePositions } from '../../../services/readable.js';
import { orderSymbol } from '../../mcp/schemas.js';
import type { Api } from './context.js';
import { HttpError } from './errors.js';
import type { Routes } from './route.js';
import { idParams, orderBody, ordersQuery } from './schemas.js';
import { verdictJson } from './verdict.js';

const STATUS_OF: Record<OrderServiceError['code'], number> = {
  ORDER_NOT_FOUND: 404,
  VENUE_UNAVAILABLE: 503,
  INVALID_ARGUMENT: 400,
  NO_POSITION: 409,
  REFUSED: 409,
  VENUE_ERROR: 502,
};

function mapOrderError(e: unknown): never {
  if (e instanceof OrderServiceError) throw new HttpError(STATUS_OF[e.code], e.code, e.message);
  throw e;
}

/** Orders and the account of the calling agent. The account is the token's; another agent's is never reachable. */
/** What a read that asks the venue answers when the venue fails (see errorBody in ./index.ts). */
const VENUE_READ_ERRORS = {
  502: 'the venue answered with an error: { error: its code (AUTH_FAILED, UNKNOWN, …), message, venue_error: true }',
  503: 'the venue is down, rate-limiting or timed out: { error: EXCHANGE_DOWN | RATE_LIMITED | TIMEOUT, message, venue_error: true }',
} as const;

export function accountRoutes(r: Routes, api: Api): void {
  const venueOf = (session: Session): Venue => {
    const v = api.deps.venues.get(session.venue);
    if (!v) throw new HttpError(503, 'VENUE_UNAVAILABLE', `VENUE_UNAVAILABLE: no venue ${session.venue} is configured`);
    return v;
  };
  const writable = () => {
    if (api.mode === 'readonly')
      throw new HttpError(403, 'READONLY_MODE', 'this server runs in readonly mode: vetting only, no orders');
  };

  r.add({
    method: 'POST',
    url: '/v1/orders',
    auth: 'agent',
    tag: 'orders',
    summary: 'Place an order: vetted by the firewall, then sent to the venue if allowed',
    description:
      'Always 200 when a verdict was issued, whatever the decision: REJECT is data (reasons + certificate), PENDING_APPROVAL carries approval_id, and a venue failure after an ALLOW is order_error. client_order_id makes a retry return the original verdict and order.',
    body: orderBody,
    responses: {
      200: 'the verdict, with the venue order when it was sent',
      400: 'malformed body (names the field), or a prediction-market order without both market_id and outcome',
      401: 'no agent token',
      403: 'readonly mode',
    },
    async handler({ body, session, reply }) {
      writable();
      const { market_id, outcome, symbol, reason, ...rest } = body;
      const s = orderSymbol({ symbol, market_id, outcome });
      if ('error' in s) throw new HttpError(400, 'INVALID_ARGUMENT', `INVALID_ARGUMENT: ${s.error}`);
      const end = api.metrics.vetLatency.startTimer({ route: '/v1/orders' });
      const result = await api.services.orders.place(
        session!,
        { symbol: s.symbol, ...rest },
        'http.place_order',
        reason,
      );
      end({ decision: result.certificate.payload.decision });
      return reply.type('application/json; charset=utf-8').send(verdictJson(result));
    },
  });

  r.add({
    method: 'DELETE',
    url: '/v1/orders/:id',
    auth: 'agent',
    tag: 'orders',
    summary: 'Cancel an open order (by venue order id or client order id); never blocked, not even while halted',
    params: idParams,
    responses: { 200: '{ order }', 404: "no open order with this id in the agent's account" },
    async handler({ params, session }) {
      writable();
      const order = await api.services.orders.cancel(session!, params.id).catch(mapOrderError);
      return { order };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/orders',
    auth: 'agent',
    tag: 'orders',
    summary: "The agent's orders: open ones (default) or the most recent of all",
    query: ordersQuery,
    responses: { 200: '{ orders }' },
    async handler({ query, session }) {
      venueOf(session!);
      const orders =
        query.status === 'open'
          ? await api.services.orders.openOrders(session!)
          : await api.services.orders.orderHistory(session!, query.limit);
      return { orders: orders.slice(0, query.limit) };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/positions',
    auth: 'agent',
    tag: 'orders',
    summary: "The agent's positions as the venue reports them",
    responses: { 200: '{ positions }', ...VENUE_READ_ERRORS },
    async handler({ session }) {
      return {
        positions: await readablePositions(api.deps.market, await venueOf(session!).positions(session!.accountId)),
      };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/balance',
    auth: 'agent',
    tag: 'orders',
    summary: "The agent's balance and equity as the venue reports them",
    responses: { 200: '{ balance }', ...VENUE_READ_ERRORS },
    async handler({ session }) {
      return {
        agent_id: session!.agentId,
        account_id: session!.accountId,
        balance: readableBalance(await venueOf(session!).balance(session!.accountId)),
      };
    },
  });
}
