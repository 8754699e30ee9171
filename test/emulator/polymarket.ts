import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ApiKey,
  CONTRACTS,
  issueKey,
  orderHash,
  orderSignatureValid,
  verifyL1,
  verifyL2,
  type WireOrder,
} from './polymarket-auth.js';
import { PmEngine, type PmOrder, type PmOrderType, PmReject, type PmToken, type PmTrade } from './polymarket-book.js';

/**
 * A local emulator of the Polymarket CLOB REST API — only the endpoints the adapter calls — on 127.0.0.1. It
 * authenticates as the venue does (L1 EIP-712 wallet signatures for API keys, L2 HMAC headers, each order's EIP-712
 * signature on the chain's exchange contract), answers refusals with the venue's status and `{ error }` body, and
 * trades on PmEngine. Simplifications, stated: outside liquidity is a fixed ladder around each token's midpoint (the
 * YES and NO books move independently); a BUY, market or limit, buys at most its takerAmount in shares; fees are
 * charged in USDC.
 */

const FIXTURE = new URL('../fixtures/polymarket/markets.json', import.meta.url);
const END_CURSOR = 'LTE=';

export interface FixtureMarket {
  readonly condition_id: string;
  readonly question: string;
  readonly description: string;
  readonly end_date_iso: string;
  readonly minimum_tick_size: number;
  readonly minimum_order_size: number;
  readonly neg_risk: boolean;
  readonly base_fee: number;
  readonly tokens: readonly { readonly token_id: string; readonly outcome: 'Yes' | 'No'; readonly mid: number }[];
}

export const PM_MARKETS: readonly FixtureMarket[] = (
  JSON.parse(readFileSync(FIXTURE, 'utf8')) as { markets: FixtureMarket[] }
).markets;

export interface PmEmulatorOptions {
  /** 137 (Polygon) or 80002 (Amoy): the chain orders must be signed for. Default 80002. */
  readonly chainId?: number;
}

export interface PmRecorded {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

/** A market's lifecycle on the CLOB: trading, halted (`closed`), or resolved with a winning outcome. */
export interface PmMarketState {
  closed: boolean;
  acceptingOrders: boolean;
  winner: 'Yes' | 'No' | null;
}

export class PolymarketEmulator {
  readonly engine: PmEngine;
  /** Each market's state by condition id; a market not listed here is open. */
  readonly states = new Map<string, PmMarketState>();
  readonly chainId: number;
  readonly requests: PmRecorded[] = [];
  readonly keys = new Map<string, ApiKey>();
  private readonly holds = new Map<string, number>();
  private readonly server: Server;
  private port = 0;

  private constructor(opts: PmEmulatorOptions) {
    this.chainId = opts.chainId ?? 80002;
    const tokens = new Map<string, PmToken>();
    for (const m of PM_MARKETS)
      for (const t of m.tokens)
        tokens.set(t.token_id, {
          tokenId: t.token_id,
          outcome: t.outcome,
          conditionId: m.condition_id,
          tickSize: m.minimum_tick_size,
          minSize: m.minimum_order_size,
          negRisk: m.neg_risk,
          feeBps: m.base_fee,
          mid: t.mid,
        });
    this.engine = new PmEngine(tokens);
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  static async start(opts: PmEmulatorOptions = {}): Promise<PolymarketEmulator> {
    const emu = new PolymarketEmulator(opts);
    await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
    emu.port = (emu.server.address() as AddressInfo).port;
    return emu;
  }

  /** Halts trading on a market: the CLOB then lists it `closed` and no longer accepting orders. */
  closeMarket(conditionId: string): void {
    this.states.set(conditionId, { closed: true, acceptingOrders: false, winner: null });
  }

  /** Resolves a market: closed, its winning token flagged `winner` and priced 1, the other 0. */
  resolveMarket(conditionId: string, winner: 'Yes' | 'No'): void {
    this.states.set(conditionId, { closed: true, acceptingOrders: false, winner });
  }

  /** The next `times` requests to `method path` are carried out but never answered. */
  holdAnswers(method: string, path: string, times = 1): void {
    this.holds.set(`${method} ${path}`, times);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    let status = 200;
    let answer: unknown;
    try {
      answer = await this.route(method, url, body, req.headers);
    } catch (err) {
      status = err instanceof PmReject ? err.status : 500;
      answer = { error: err instanceof Error ? err.message : String(err) };
    }
    this.requests.push({ method, path: url.pathname, status, body });
    const held = this.holds.get(`${method} ${url.pathname}`) ?? 0;
    if (held > 0) {
      // Acted on, never answered (until close): what a client sees when the venue's answer is lost.
      this.holds.set(`${method} ${url.pathname}`, held - 1);
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  private async route(method: string, url: URL, body: string, headers: IncomingMessage['headers']): Promise<unknown> {
    const now = Math.floor(Date.now() / 1000);
    const p = url.pathname;
    const q = (k: string) => url.searchParams.get(k) ?? '';
    if (method === 'GET' && p === '/time') return now;
    if (p === '/auth/api-key' || p === '/auth/derive-api-key') {
      const address = await verifyL1(headers, this.chainId, now);
      if (!address) throw new PmReject(401, 'Invalid L1 Request headers');
      const nonce = String(headers.poly_nonce ?? '0');
      const key = issueKey(address, nonce, `emulator-${this.chainId}`);
      const exists = this.keys.has(key.key);
      if (method === 'POST' && p === '/auth/api-key') {
        if (exists) throw new PmReject(400, 'Could not create api key');
      } else if (method !== 'GET' || !exists) throw new PmReject(400, 'Could not derive api key!');
      this.keys.set(key.key, key);
      return { apiKey: key.key, secret: key.secret, passphrase: key.passphrase };
    }
    if (method === 'GET' && p.startsWith('/markets/')) return this.market(p.slice('/markets/'.length));
    if (method === 'GET' && ['/book', '/tick-size', '/neg-risk', '/fee-rate'].includes(p)) {
      const t = this.token(q('token_id'));
      if (p === '/tick-size') return { minimum_tick_size: t.tickSize };
      if (p === '/neg-risk') return { neg_risk: t.negRisk };
      if (p === '/fee-rate') return { base_fee: t.feeBps };
      // The CLOB drops a market's books once it stops taking orders.
      if (this.states.get(t.conditionId)?.acceptingOrders === false)
        throw new PmReject(404, 'No orderbook exists for the requested token id');
      const { bids, asks } = this.engine.book(t);
      const s = (l: { price: number; size: number }) => ({ price: String(l.price), size: String(l.size) });
      return {
        market: t.conditionId,
        asset_id: t.tokenId,
        timestamp: String(Date.now()),
        bids: bids.map(s),
        asks: asks.map(s),
        min_order_size: String(t.minSize),
        tick_size: String(t.tickSize),
        neg_risk: t.negRisk,
      };
    }
    const key = verifyL2(headers, this.keys, method, p, body, now);
    if (!key) throw new PmReject(401, 'Unauthorized/Invalid api key');
    if (method === 'POST' && p === '/order') return this.postOrder(key, body, now);
    if (method === 'DELETE' && p === '/order') {
      const id = String((JSON.parse(body || '{}') as { orderID?: unknown }).orderID ?? '');
      const r = this.engine.cancel(id, key.key);
      return typeof r === 'string' ? { canceled: [], not_canceled: { [id]: r } } : { canceled: [id], not_canceled: {} };
    }
    if (method === 'GET' && p.startsWith('/data/order/')) {
      const o = this.engine.orders.get(p.slice('/data/order/'.length));
      if (!o || o.owner !== key.key) throw new PmReject(404, 'order not found');
      return openOrderJson(o);
    }
    if (method === 'GET' && p === '/data/orders') {
      const data = [...this.engine.orders.values()]
        .filter((o) => o.owner === key.key && o.status === 'LIVE')
        .filter((o) => (!q('id') || o.id === q('id')) && (!q('asset_id') || o.token.tokenId === q('asset_id')))
        .filter((o) => !q('market') || o.token.conditionId === q('market'))
        .map(openOrderJson);
      return { data, next_cursor: END_CURSOR, limit: data.length, count: data.length };
    }
    if (method === 'GET' && p === '/data/trades') {
      const data = this.engine.trades
        .filter((t) => t.owner === key.key && (!q('asset_id') || t.token.tokenId === q('asset_id')))
        .filter((t) => !q('id') || t.id === q('id'))
        .map(tradeJson);
      return { data, next_cursor: END_CURSOR, limit: data.length, count: data.length };
    }
    if (method === 'GET' && p === '/balance-allowance') {
      const type = q('asset_type');
      if (type !== 'COLLATERAL' && type !== 'CONDITIONAL')
        throw new PmReject(400, `asset_type must be COLLATERAL or CONDITIONAL; got ${JSON.stringify(type)}`);
      const n =
        type === 'COLLATERAL'
          ? this.engine.usdc(key.address)
          : this.engine.tokenBalance(key.address, this.token(q('token_id')).tokenId);
      return {
        balance: String(Math.round(n * 1e6)),
        allowance: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
      };
    }
    throw new PmReject(404, `no route ${method} ${p}`);
  }

  private async postOrder(key: ApiKey, body: string, now: number): Promise<unknown> {
    let parsed: { order?: WireOrder; owner?: string; orderType?: string; postOnly?: boolean };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new PmReject(400, 'Invalid order payload');
    }
    const o = parsed.order;
    if (!o || typeof o !== 'object') throw new PmReject(400, 'Invalid order payload');
    if (parsed.owner !== key.key) throw new PmReject(400, 'the order owner has to be the same as the API KEY');
    if (o.signer?.toLowerCase() !== key.address.toLowerCase())
      throw new PmReject(400, 'the order signer address has to be the address of the API KEY');
    const t = this.engine.tokens.get(String(o.tokenId));
    if (!t) throw new PmReject(400, `Invalid token id ${String(o.tokenId)}`);
    const orderType = parsed.orderType as PmOrderType;
    if (!['GTC', 'GTD', 'FOK', 'FAK'].includes(orderType))
      throw new PmReject(400, `Invalid order type ${String(parsed.orderType)}; accepted: GTC, GTD, FOK, FAK`);
    if (!(await orderSignatureValid(o, this.chainId, t.negRisk))) throw new PmReject(400, 'invalid signature');
    if (this.states.get(t.conditionId)?.acceptingOrders === false)
      throw new PmReject(400, `market ${t.conditionId} is not accepting orders`);
    if (o.signatureType === 0 && o.maker.toLowerCase() !== o.signer.toLowerCase())
      throw new PmReject(400, 'invalid signature: an EOA order is made by its signer');
    const expiration = Number(o.expiration);
    if (orderType === 'GTD' ? expiration <= now + 60 : expiration !== 0)
      throw new PmReject(
        400,
        `INVALID_ORDER_EXPIRATION: expiration ${o.expiration} (GTD: more than 60 s ahead; others: 0)`,
      );
    if (t.feeBps > 0 && Number(o.feeRateBps) !== t.feeBps)
      throw new PmReject(400, `invalid fee rate (${o.feeRateBps}), current fee rate is ${t.feeBps}`);
    if (parsed.postOnly && this.crosses(t, o)) throw new PmReject(400, 'invalid post-only order: order crosses book');
    const maker = Number(o.makerAmount) / 1e6;
    const taker = Number(o.takerAmount) / 1e6;
    if (!(maker > 0 && taker > 0)) throw new PmReject(400, 'INVALID_ORDER_MIN_SIZE: amounts must be positive');
    const buy = o.side === 'BUY';
    const placed = this.engine.place(
      {
        id: orderHash(o, this.chainId, t.negRisk),
        owner: key.key,
        maker: o.maker.toLowerCase(),
        token: t,
        side: buy ? 'BUY' : 'SELL',
        price: Math.round((buy ? maker / taker : taker / maker) * 1e6) / 1e6,
        size: buy ? taker : maker,
        orderType,
        expiration,
      },
      now,
    );
    return {
      success: true,
      errorMsg: '',
      orderID: placed.id,
      transactionsHashes: [],
      status: placed.status === 'LIVE' ? 'live' : placed.status === 'MATCHED' ? 'matched' : 'unmatched',
      takingAmount: '',
      makingAmount: '',
    };
  }

  private crosses(t: PmToken, o: WireOrder): boolean {
    const { bids, asks } = this.engine.book(t);
    const m = Number(o.makerAmount);
    const k = Number(o.takerAmount);
    return o.side === 'BUY' ? m / k >= (asks.at(-1)?.price ?? 2) : k / m <= (bids.at(-1)?.price ?? -1);
  }

  private token(id: string): PmToken {
    const t = this.engine.tokens.get(id);
    if (!t) throw new PmReject(400, `Invalid token id ${JSON.stringify(id)}`);
    return t;
  }

  private market(conditionId: string): unknown {
    const m = PM_MARKETS.find((x) => x.condition_id === conditionId);
    if (!m) throw new PmReject(404, 'market not found');
    const state = this.states.get(conditionId) ?? { closed: false, acceptingOrders: true, winner: null };
    return {
      condition_id: m.condition_id,
      question: m.question,
      description: m.description,
      end_date_iso: m.end_date_iso,
      active: true,
      closed: state.closed,
      accepting_orders: state.acceptingOrders,
      minimum_tick_size: m.minimum_tick_size,
      minimum_order_size: m.minimum_order_size,
      neg_risk: m.neg_risk,
      tokens: m.tokens.map((t) => ({
        token_id: t.token_id,
        outcome: t.outcome,
        price: state.winner ? (state.winner === t.outcome ? 1 : 0) : this.engine.tokens.get(t.token_id)!.mid,
        winner: state.winner === t.outcome,
      })),
    };
  }

  /** The chain's exchange contract orders are signed for (tests that forge orders use it). */
  exchange(negRisk: boolean): string {
    const c = CONTRACTS[this.chainId]!;
    return negRisk ? c.negRiskExchange : c.exchange;
  }
}

function openOrderJson(o: PmOrder): unknown {
  return {
    id: o.id,
    status: o.status,
    owner: o.owner,
    maker_address: o.maker,
    market: o.token.conditionId,
    asset_id: o.token.tokenId,
    side: o.side,
    original_size: String(o.size),
    size_matched: String(o.matched),
    price: String(o.price),
    associate_trades: [...o.tradeIds],
    outcome: o.token.outcome,
    created_at: o.createdAt,
    expiration: String(o.expiration),
    order_type: o.orderType,
  };
}

function tradeJson(t: PmTrade): unknown {
  const own = {
    order_id: t.makerOrderId,
    owner: t.traderSide === 'MAKER' ? t.owner : 'outside',
    maker_address: t.traderSide === 'MAKER' ? t.maker : '0x0000000000000000000000000000000000000000',
    matched_amount: String(t.size),
    price: String(t.price),
    fee_rate_bps: '0',
    asset_id: t.token.tokenId,
    outcome: t.token.outcome,
    side: t.traderSide === 'MAKER' ? t.side : t.side === 'BUY' ? 'SELL' : 'BUY',
  };
  return {
    id: t.id,
    taker_order_id: t.takerOrderId,
    market: t.token.conditionId,
    asset_id: t.token.tokenId,
    side: t.traderSide === 'TAKER' ? t.side : t.side === 'BUY' ? 'SELL' : 'BUY',
    size: String(t.size),
    fee_rate_bps: String(t.token.feeBps),
    price: String(t.price),
    status: 'CONFIRMED',
    match_time: String(t.ts),
    last_update: String(t.ts),
    outcome: t.token.outcome,
    bucket_index: 0,
    owner: t.owner,
    maker_address: t.maker,
    maker_orders: [own],
    transaction_hash: `0x${'0'.repeat(64)}`,
    trader_side: t.traderSide,
  };
}
