import type { OpenOrder, Trade } from '@polymarket/clob-client';
import type { TimeInForce } from '../../../core/firewall/types.js';
import {
  type Venue,
  type VenueAccountSnapshot,
  type VenueBalance,
  VenueError,
  type VenueOrder,
  type VenueOrderRequest,
  type VenuePosition,
} from '../../../ports/venue.js';
import { OrderType, type PolymarketClient, Side } from './client.js';
import { accountBalance, averageCost, onTick, ownFills, SHARE_STEP, sharesToSend, toVenueOrder } from './mapper.js';
import type { DurableOrderIndex } from './order-index.js';
import type { PmTokenInfo, TokenMap } from './tokens.js';

const SNAPSHOT_ORDER_LOOKUPS = 20;
/** Answers that say the venue did not take the order. */
const REFUSALS: ReadonlySet<VenueError['code']> = new Set([
  'INSUFFICIENT_BALANCE',
  'INVALID_ORDER',
  'AUTH_FAILED',
  'RATE_LIMITED',
]);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface Intent {
  readonly clientOrderId: string;
  readonly token: PmTokenInfo;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly quantity: number;
  readonly limitPrice: number | null;
  readonly timeInForce: TimeInForce;
}

/**
 * Polymarket's CLOB as a Venue. Outcome tokens are spot holdings: a position is the wallet's balance of a YES or NO
 * token (never negative: a sale beyond it is refused by the venue), the balance is USDC. One instance trades one
 * wallet; `accountId` is Arbiter's name for it and is not sent anywhere.
 */
export class PolymarketVenue implements Venue {
  readonly name: string;
  readonly live: boolean;

  constructor(
    private readonly client: PolymarketClient,
    private readonly tokens: TokenMap,
    private readonly index: DurableOrderIndex,
  ) {
    this.live = client.config.mode === 'live';
    this.name = this.live ? 'polymarket' : 'polymarket-testnet';
  }

  async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const token = await this.tokens.require(req.symbol);
    const known = this.index.get(req.clientOrderId);
    if (known) {
      const existing = await this.read(known.orderId);
      if (existing && existing.symbol === token.symbol && existing.side === req.side) return existing;
      throw new VenueError(
        'INVALID_ORDER',
        existing
          ? `client order id ${req.clientOrderId} is already used by another order`
          : `client order id ${req.clientOrderId} was signed for an order the venue has not shown; look it up, never resend it`,
      );
    }
    if (req.leverage !== null && req.leverage !== 1)
      throw new VenueError('INVALID_ORDER', `prediction markets trade without leverage; got leverage ${req.leverage}`);
    if (req.reduceOnly && req.side === 'buy')
      throw new VenueError('INVALID_ORDER', 'a reduce-only buy reduces nothing: outcome tokens are never held short');
    const held = req.reduceOnly ? await this.client.balance(token.tokenId) : null;
    if (held !== null && held < SHARE_STEP)
      throw new VenueError('INVALID_ORDER', `a reduce-only sell of ${token.symbol}: none held`);
    const quantity = sharesToSend(req.quantity, held);
    if (!(quantity > 0))
      throw new VenueError('INVALID_ORDER', `quantity ${req.quantity} is below one step of ${SHARE_STEP} shares`);
    return this.send({
      clientOrderId: req.clientOrderId,
      token,
      side: req.side,
      type: req.type,
      quantity,
      limitPrice: req.limitPrice,
      timeInForce: req.timeInForce,
    });
  }

  async cancelOrder(_accountId: string, orderId: string): Promise<VenueOrder> {
    const current = await this.read(orderId);
    if (!current) throw new VenueError('ORDER_NOT_FOUND', `polymarket has no order ${orderId}`);
    const r = await this.client.cancel(orderId);
    const refused = r.not_canceled?.[orderId];
    const after = await this.read(orderId);
    if (!after) throw new VenueError('UNKNOWN', `order ${orderId} cancelled but could not be read back`);
    if (refused && after.status !== 'cancelled')
      throw new VenueError('INVALID_ORDER', `polymarket did not cancel order ${orderId}: ${refused}`);
    return after;
  }

  /**
   * The CLOB cannot amend: the order is cancelled and a new one signed for the new price and the quantity still to
   * fill; the client order id follows the new order. Not atomic: a fill can land between the two.
   */
  async amendOrder(
    accountId: string,
    orderId: string,
    changes: { readonly quantity?: number; readonly limitPrice?: number },
  ): Promise<VenueOrder> {
    const current = await this.read(orderId);
    if (!current || (current.status !== 'open' && current.status !== 'partially_filled'))
      throw new VenueError('INVALID_ORDER', `order ${orderId} is not open`);
    if (current.type !== 'limit') throw new VenueError('INVALID_ORDER', `order ${orderId} is not a limit order`);
    const cancelled = await this.cancelOrder(accountId, orderId);
    const rest = sharesToSend((changes.quantity ?? current.quantity) - cancelled.filledQuantity, null);
    if (rest <= 0) return cancelled;
    return this.send({
      clientOrderId: current.clientOrderId,
      token: await this.tokens.require(current.symbol),
      side: current.side,
      type: 'limit',
      quantity: rest,
      limitPrice: changes.limitPrice ?? current.limitPrice,
      timeInForce: 'GTC',
    });
  }

  async orderByClientId(_accountId: string, clientOrderId: string): Promise<VenueOrder | null> {
    const known = this.index.get(clientOrderId);
    return known ? this.read(known.orderId) : null;
  }

  async openOrders(_accountId: string, symbol?: string): Promise<readonly VenueOrder[]> {
    let tokenId: string | undefined;
    if (symbol !== undefined) {
      const t = await this.tokens.bySymbol(symbol);
      if (!t) return [];
      tokenId = t.tokenId;
    }
    const open = await this.client.openOrders(tokenId);
    const trades = new Map<string, Trade[]>();
    const out: VenueOrder[] = [];
    for (const o of open) {
      const mapped = await this.map(o, trades);
      if (mapped) out.push(mapped);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The orders this process (or an earlier one on the same index file) sent, newest first. */
  async orderHistory(_accountId: string, limit: number): Promise<readonly VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const e of this.index.recent(limit)) {
      const o = await this.read(e.orderId);
      if (o) out.push(o);
    }
    return out;
  }

  async positions(_accountId: string): Promise<readonly VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const t of (await this.tokens.all()).values()) {
      const held = await this.client.balance(t.tokenId);
      if (held <= 0) continue;
      const entry = averageCost(ownFills(await this.client.trades(t.tokenId), this.client.maker));
      const mark = await this.mark(t, entry);
      out.push({
        symbol: t.symbol,
        quantity: held,
        entryPrice: entry,
        markPrice: mark,
        unrealizedPnl: (mark - entry) * held,
        leverage: 1,
        liquidationPrice: null,
        margin: entry * held,
      });
    }
    return out;
  }

  /**
   * Cash is the wallet's USDC; open buys reserve what they would pay; tokens count at cost. total = cash + cost of
   * tokens held, free = cash − reserved, used = the rest, equity = total + unrealised P&L (cash + tokens at mark).
   */
  async balance(accountId: string): Promise<VenueBalance> {
    const cash = await this.client.balance();
    const open = await this.client.openOrders();
    const reserved = open
      .filter((o) => o.side.toUpperCase() === 'BUY')
      .reduce((s, o) => s + (Number(o.original_size) - Number(o.size_matched)) * Number(o.price), 0);
    return accountBalance(cash, reserved, await this.positions(accountId));
  }

  /** Not atomic at the CLOB: the orders are read first (see the port), then balance and positions. */
  async accountSnapshot(accountId: string, clientOrderIds: readonly string[]): Promise<VenueAccountSnapshot> {
    const orders: VenueOrder[] = [];
    for (const id of clientOrderIds.slice(-SNAPSHOT_ORDER_LOOKUPS)) {
      const o = await this.orderByClientId(accountId, id).catch(() => null);
      if (o) orders.push(o);
    }
    const balance = await this.balance(accountId);
    return { balance, positions: await this.positions(accountId), orders };
  }

  async setLeverage(_accountId: string, symbol: string, leverage: number): Promise<void> {
    if (leverage !== 1)
      throw new VenueError('INVALID_ORDER', `prediction markets trade without leverage; ${symbol} takes only 1`);
  }

  async setTradingStop(_accountId: string, symbol: string, _stops: unknown): Promise<void> {
    throw new VenueError('INVALID_ORDER', `the Polymarket CLOB has no take-profit / stop-loss orders (${symbol})`);
  }

  private async send(i: Intent): Promise<VenueOrder> {
    const { token } = i;
    const tick = token.tickSize;
    const side = i.side === 'buy' ? Side.BUY : Side.SELL;
    let price: number;
    if (i.type === 'limit') {
      if (i.limitPrice === null) throw new VenueError('INVALID_ORDER', 'a limit order needs a limit price');
      price = onTick(i.limitPrice, tick, i.side);
    } else {
      price = await this.marketablePrice(token, i.side, i.quantity, i.timeInForce === 'FOK');
    }
    if (price < tick - 1e-9 || price > 1 - tick + 1e-9)
      throw new VenueError(
        'INVALID_ORDER',
        `price ${i.limitPrice ?? price} of ${token.symbol} must lie in [${tick}, ${round6(1 - tick)}] on its tick ${tick}`,
      );
    const orderType =
      i.type === 'market'
        ? i.timeInForce === 'FOK'
          ? OrderType.FOK
          : OrderType.FAK
        : i.timeInForce === 'IOC'
          ? OrderType.FAK
          : i.timeInForce === 'FOK'
            ? OrderType.FOK
            : OrderType.GTC;
    const tickText = String(tick);
    const signed =
      i.type === 'market' && i.side === 'sell'
        ? await this.client.signMarketSell(token.tokenId, i.quantity, price, tickText, token.negRisk)
        : await this.client.signLimit(token.tokenId, side, price, i.quantity, tickText, token.negRisk);
    const orderId = this.client.orderId(signed, token.negRisk);
    const previous = this.index.get(i.clientOrderId);
    // Remembered before it is sent: after a timeout or a restart the order is found by its id, never sent again.
    this.index.remember({
      clientOrderId: i.clientOrderId,
      orderId,
      symbol: token.symbol,
      type: i.type,
      ts: Date.now(),
    });
    let accepted: string;
    try {
      accepted = await this.client.post(signed, orderType, i.timeInForce === 'PO' && i.type === 'limit');
    } catch (err) {
      // A refusal the venue answered (it holds no such order) frees the client order id for a corrected retry; an
      // order the venue may have taken (timeout, venue down, an answer not understood) keeps it, to be looked up.
      if (err instanceof VenueError && REFUSALS.has(err.code)) this.index.restore(i.clientOrderId, previous);
      throw err;
    }
    if (accepted !== orderId)
      this.index.remember({
        clientOrderId: i.clientOrderId,
        orderId: accepted,
        symbol: token.symbol,
        type: i.type,
        ts: Date.now(),
      });
    const order = await this.read(accepted);
    if (!order) throw new VenueError('UNKNOWN', `order ${accepted} accepted but could not be read back`);
    return order;
  }

  /** The worst book price a market order of `quantity` reaches (the whole visible book for FAK when it is thin). */
  private async marketablePrice(t: PmTokenInfo, side: 'buy' | 'sell', quantity: number, fok: boolean): Promise<number> {
    const book = await this.client.book(t.tokenId);
    // The CLOB lists bids ascending and asks descending: the best level is last.
    const levels = [...(side === 'buy' ? book.asks : book.bids)].reverse();
    let sum = 0;
    for (const l of levels) {
      sum += Number(l.size);
      if (sum >= quantity - 1e-9) return Number(l.price);
    }
    if (levels.length === 0 || fok)
      throw new VenueError(
        'INVALID_ORDER',
        `not enough ${side === 'buy' ? 'asks' : 'bids'} in the ${t.symbol} book for a market ${side} of ${quantity}`,
      );
    return Number(levels.at(-1)!.price);
  }

  /**
   * A token's mark: the mid of its book; without a book (the CLOB drops a closed or resolved market's), the CLOB's
   * price of the token — 1 or 0 once the market is resolved — and only failing that the entry price.
   */
  private async mark(t: PmTokenInfo, fallback: number): Promise<number> {
    const book = await this.client.book(t.tokenId);
    const bid = Number(book.bids.at(-1)?.price ?? Number.NaN);
    const ask = Number(book.asks.at(-1)?.price ?? Number.NaN);
    if (Number.isFinite(bid) && Number.isFinite(ask)) return (bid + ask) / 2;
    if (Number.isFinite(bid)) return bid;
    if (Number.isFinite(ask)) return ask;
    const market = await this.client.market(t.conditionId);
    const token = market.tokens.find((x) => x.token_id === t.tokenId);
    if (market.tokens.some((x) => x.winner)) return token?.winner ? 1 : 0;
    return token?.price !== undefined && Number.isFinite(token.price) ? token.price : fallback;
  }

  private async read(orderId: string): Promise<VenueOrder | null> {
    const o = await this.client.order(orderId);
    return o ? this.map(o, new Map()) : null;
  }

  private async map(o: OpenOrder, cache: Map<string, Trade[]>): Promise<VenueOrder | null> {
    const token = await this.tokens.byTokenId(o.asset_id);
    if (!token) return null;
    let trades: Trade[] = [];
    if (Number(o.size_matched) > 0) {
      trades = cache.get(o.asset_id) ?? (await this.client.trades(o.asset_id));
      cache.set(o.asset_id, trades);
    }
    const known = this.index.byOrderId(o.id);
    return toVenueOrder(o, token.symbol, known?.clientOrderId ?? o.id, known?.type ?? 'limit', trades);
  }
}
