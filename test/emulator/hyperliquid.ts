import { randomBytes } from 'node:crypto';
import { TIMEFRAME_MS } from '../../src/ports/market-data.js';
import { type EmuEngine, EmuReject, type EmuTif } from './engine.js';
import {
  assetCtx,
  candleSnapshot,
  clearinghouseState,
  emptyClearinghouseState,
  fillRecord,
  fundingHistory,
  HYPERLIQUID_MARKETS,
  l2Book,
  meta,
  orderRecord,
  orderStatusRecord,
} from './hyperliquid-shapes.js';
import { addressOf, l1Signer, type WalletSignature } from './hyperliquid-signing.js';
import type { EmuMarket } from './markets.js';
import { VenueEmulator } from './server.js';
import type { EmuCredentials, EmuRequest, EmuResponse, FailureKind, VenueDialect } from './types.js';
import { ok } from './types.js';

/**
 * Hyperliquid's REST API: `POST /info` (public reads, the account named by `user`) and `POST /exchange` (L1 actions
 * signed by the wallet, or by an API wallet the account approved). The venue has no API keys: it recovers the
 * signer from the EIP-712 signature (hyperliquid-signing.ts), so a tampered action, a signature made for the other
 * network or an unknown key all come out as some other address, which the venue answers with
 * `User or API Wallet 0x… does not exist.`. Nonces are milliseconds: within (now − 2 days, now + 1 day), never
 * reused per signer. Errors travel in HTTP 200 bodies: `{status:"err", response:"…"}` for the request, a per-order
 * `{error:"…"}` inside `statuses` for an order.
 *
 * The emulator trades one account, `walletAddress`; `/info` answers any other `user` as an empty account.
 */
export interface HyperliquidOptions {
  /** Which network's signatures the venue accepts (source `b` testnet, `a` mainnet). Default testnet. */
  readonly network?: 'testnet' | 'mainnet';
  /** API (agent) wallet addresses approved to sign for the account. */
  readonly agents?: readonly string[];
}

const DAY = 86_400_000;
const NONCES_KEPT = 100;

interface ExchangeBody {
  readonly action: Record<string, unknown>;
  readonly nonce: number;
  readonly signature: WalletSignature;
  readonly vaultAddress?: string;
}

const TIFS: Readonly<Record<string, EmuTif>> = { Gtc: 'GTC', Ioc: 'IOC', Alo: 'PO' };

/** A fresh dialect per emulator: it holds the signers' nonces and the account's margin modes. */
export function hyperliquidDialect(walletAddress: string, opts: HyperliquidOptions = {}): VenueDialect {
  const wallet = walletAddress.toLowerCase();
  const testnet = (opts.network ?? 'testnet') === 'testnet';
  const agents = new Set((opts.agents ?? []).map((a) => a.toLowerCase()));
  const nonces = new Map<string, number[]>();
  const isolated = new Set<string>();
  const cloids = new Map<string, string>();
  const refused = new Set<string>();

  const perps = (engine: EmuEngine): EmuMarket[] => engine.markets.filter((m) => m.kind === 'perp');
  const byAsset = (engine: EmuEngine, a: unknown): EmuMarket => {
    const m = perps(engine)[Number(a)];
    if (!m) throw new EmuReject('invalid', `Invalid asset ${String(a)}`);
    return m;
  };
  const byCoin = (engine: EmuEngine, coin: unknown): EmuMarket | undefined =>
    perps(engine).find((m) => m.base === coin);
  const cloidOf = (id: string): string | null => cloids.get(id) ?? null;

  const err = (response: string): EmuResponse => ok({ status: 'err', response });

  function checkNonce(signer: string, nonce: number): string | null {
    const now = Date.now();
    if (!Number.isSafeInteger(nonce) || nonce <= now - 2 * DAY || nonce >= now + DAY) {
      return `Invalid nonce: ${nonce} is outside the allowed window (now - 2 days, now + 1 day)`;
    }
    const used = nonces.get(signer) ?? [];
    if (used.includes(nonce)) return `Invalid nonce: duplicate nonce ${nonce}`;
    if (used.length >= NONCES_KEPT && nonce < Math.min(...used)) return `Invalid nonce: nonce ${nonce} too low`;
    used.push(nonce);
    if (used.length > NONCES_KEPT) used.splice(used.indexOf(Math.min(...used)), 1);
    nonces.set(signer, used);
    return null;
  }

  function placeOrders(engine: EmuEngine, action: Record<string, unknown>): EmuResponse {
    const orders = (action.orders ?? []) as Record<string, unknown>[];
    const statuses = orders.map((w) => {
      try {
        const m = byAsset(engine, w.a);
        const t = (w.t ?? {}) as { limit?: { tif?: string } };
        if (!t.limit) throw new EmuReject('invalid', 'the emulator takes limit orders only (no triggers)');
        const cloid = typeof w.c === 'string' ? w.c.toLowerCase() : undefined;
        if (cloid !== undefined && !/^0x[0-9a-f]{32}$/.test(cloid)) throw new EmuReject('invalid', 'Invalid cloid');
        const o = engine.place({
          symbol: m.symbol,
          side: w.b === true ? 'buy' : 'sell',
          type: 'limit',
          qty: Number(w.s),
          price: Number(w.p),
          tif: TIFS[t.limit.tif ?? 'Gtc'] ?? 'GTC',
          reduceOnly: w.r === true,
          clientId: cloid,
        });
        if (cloid !== undefined) cloids.set(o.id, cloid);
        const oid = Number(o.id);
        if (o.status === 'filled') return { filled: { totalSz: String(o.filled), avgPx: String(o.avgPrice), oid } };
        if (o.status === 'cancelled') {
          refused.add(o.id);
          return {
            error:
              o.tif === 'PO'
                ? `Post only order would have immediately matched, bbo was ${engine.price(m.symbol)}. asset=${w.a}`
                : `Order could not immediately match against any resting orders. asset=${w.a}`,
          };
        }
        return { resting: { oid, ...(cloid ? { cloid } : {}) } };
      } catch (e) {
        if (e instanceof EmuReject) return { error: `${orderError(e)} asset=${String(w.a)}` };
        throw e;
      }
    });
    return ok({ status: 'ok', response: { type: 'order', data: { statuses } } });
  }

  function cancel(engine: EmuEngine, action: Record<string, unknown>): EmuResponse {
    const cancels = (action.cancels ?? []) as Record<string, unknown>[];
    const statuses = cancels.map((c) => {
      const found =
        action.type === 'cancelByCloid'
          ? engine.orderByClientId(String(c.cloid).toLowerCase())
          : engine.order(String(c.o));
      const m = found ? engine.market(found.symbol) : undefined;
      const asset = action.type === 'cancelByCloid' ? c.asset : c.a;
      if (!found || !m || perps(engine).indexOf(m) !== Number(asset)) return { error: NOT_FOUND };
      try {
        engine.cancel(found.id);
        return 'success';
      } catch {
        return { error: NOT_FOUND };
      }
    });
    return ok({ status: 'ok', response: { type: 'cancel', data: { statuses } } });
  }

  function modify(engine: EmuEngine, action: Record<string, unknown>): EmuResponse {
    const modifies = (action.modifies ?? []) as { oid: unknown; order: Record<string, unknown> }[];
    const statuses = modifies.map(({ oid, order }) => {
      try {
        const o = engine.amend(String(oid), { qty: Number(order.s), price: Number(order.p) });
        return o.status === 'filled'
          ? { filled: { totalSz: String(o.filled), avgPx: String(o.avgPrice), oid: Number(o.id) } }
          : { resting: { oid: Number(o.id) } };
      } catch (e) {
        if (e instanceof EmuReject) return { error: e.reason === 'not_found' ? NOT_FOUND : orderError(e) };
        throw e;
      }
    });
    return ok({ status: 'ok', response: { type: 'batchModify', data: { statuses } } });
  }

  function info(engine: EmuEngine, req: EmuRequest): EmuResponse | null {
    const p = req.params;
    const mine = typeof p.user === 'string' && p.user.toLowerCase() === wallet;
    const all = engine.allOrders();
    switch (p.type) {
      case 'meta':
        return ok(meta(engine));
      case 'metaAndAssetCtxs':
        return ok([meta(engine), perps(engine).map((m) => assetCtx(engine, m))]);
      case 'allMids':
        return ok(Object.fromEntries(perps(engine).map((m) => [m.base, String(engine.price(m.symbol))])));
      case 'l2Book': {
        const m = byCoin(engine, p.coin);
        return ok(m ? l2Book(engine, m) : null);
      }
      case 'candleSnapshot': {
        const r = (p.req ?? {}) as Record<string, unknown>;
        const m = byCoin(engine, r.coin);
        const tf = TIMEFRAME_MS[String(r.interval) as keyof typeof TIMEFRAME_MS];
        if (!m || !tf) return ok([]);
        return ok(
          candleSnapshot(engine, m, String(r.interval), tf, Number(r.startTime), Number(r.endTime ?? Date.now())),
        );
      }
      case 'fundingHistory': {
        const m = byCoin(engine, p.coin);
        return ok(m ? fundingHistory(m, Number(p.startTime ?? 0)) : []);
      }
      case 'userAbstraction':
        return ok('default');
      case 'userRole': {
        const who = String(p.user).toLowerCase();
        if (who === wallet) return ok({ role: 'user' });
        return ok(agents.has(who) ? { role: 'agent', data: { user: wallet } } : { role: 'missing' });
      }
      case 'clearinghouseState':
        return ok(mine ? clearinghouseState(engine, (s) => !isolated.has(s)) : emptyClearinghouseState());
      case 'openOrders':
      case 'frontendOpenOrders':
        return ok(mine ? engine.openOrders().map((o) => orderRecord(o, engine.market(o.symbol), cloidOf(o.id))) : []);
      case 'historicalOrders':
        return ok(
          mine ? all.map((o) => orderStatusRecord(o, engine.market(o.symbol), cloidOf(o.id), refused.has(o.id))) : [],
        );
      case 'userFills':
      case 'userFillsByTime':
        return ok(
          mine ? all.filter((o) => o.filled > 0).map((o) => fillRecord(o, engine.market(o.symbol), cloidOf(o.id))) : [],
        );
      case 'orderStatus': {
        const oid = p.oid;
        const o =
          typeof oid === 'string' && oid.startsWith('0x')
            ? engine.orderByClientId(oid.toLowerCase())
            : /^\d+$/.test(String(oid))
              ? engine.order(String(oid))
              : undefined;
        if (!mine || !o) return ok({ status: 'unknownOid' });
        const record = orderStatusRecord(o, engine.market(o.symbol), cloidOf(o.id), refused.has(o.id));
        return ok({ status: 'order', order: record });
      }
      default:
        return null;
    }
  }

  return {
    id: 'hyperliquid',
    isPrivate: (req) => req.path === '/exchange',
    authenticate(req: EmuRequest, _creds: EmuCredentials): EmuResponse | null {
      const body = req.params as unknown as ExchangeBody;
      if (!body.action || typeof body.nonce !== 'number' || !body.signature) {
        return err('Failed to deserialize the JSON body into the target type');
      }
      const signer = l1Signer(body, testnet);
      if (signer === null || (signer !== wallet && !agents.has(signer))) {
        return err(`User or API Wallet ${signer ?? '0x0000000000000000000000000000000000000000'} does not exist.`);
      }
      const bad = checkNonce(signer, body.nonce);
      return bad ? err(bad) : null;
    },
    isOrderCreate: (req) => req.path === '/exchange' && (req.params.action as { type?: unknown })?.type === 'order',
    handle(req: EmuRequest, engine: EmuEngine): EmuResponse | null {
      if (req.method !== 'POST') return null;
      if (req.path === '/info') return info(engine, req);
      if (req.path !== '/exchange') return null;
      const action = req.params.action as Record<string, unknown>;
      switch (action.type) {
        case 'order':
          return placeOrders(engine, action);
        case 'cancel':
        case 'cancelByCloid':
          return cancel(engine, action);
        case 'batchModify':
          return modify(engine, action);
        case 'updateLeverage': {
          const m = byAsset(engine, action.asset);
          engine.setLeverage(m.symbol, Number(action.leverage));
          if (action.isCross === false) isolated.add(m.symbol);
          else isolated.delete(m.symbol);
          return ok({ status: 'ok', response: { type: 'default' } });
        }
        default:
          return err(`Unknown action type ${String(action.type)}`);
      }
    },
    reject: (e: EmuReject) => err(e.message),
    failure(kind: Exclude<FailureKind, 'timeout'>): EmuResponse {
      if (kind === 'insufficient-balance') {
        const statuses = [{ error: 'Insufficient margin to place order. asset=0' }];
        return ok({ status: 'ok', response: { type: 'order', data: { statuses } } });
      }
      if (kind === 'rate-limit') return { status: 429, body: null };
      return { status: 502, body: '<html><body>502 Bad Gateway</body></html>' };
    },
  };
}

const NOT_FOUND = 'Order was never placed, already canceled, or filled.';

/** The venue's words for the engine's rejections (the strings ccxt's error table matches). */
function orderError(e: EmuReject): string {
  switch (e.reason) {
    case 'insufficient':
      return 'Insufficient margin to place order.';
    case 'reduce_only':
      return 'Reduce only order would increase position.';
    case 'duplicate':
      return 'Duplicate cloid.';
    case 'not_found':
      return NOT_FOUND;
    default:
      return /price/i.test(e.message) ? 'Price must be divisible by tick size.' : 'Order has invalid size.';
  }
}

export interface HyperliquidStartOptions extends HyperliquidOptions {
  /** The account's wallet: its address (`apiKey`) and the key that signs for it (`secret`). Default: a fresh one. */
  readonly credentials?: EmuCredentials;
  readonly markets?: readonly EmuMarket[];
  readonly wallet?: number;
  readonly hangMs?: number;
}

/** A fresh wallet: a random private key and its address, as Hyperliquid credentials (no API keys at this venue). */
export function randomWallet(): EmuCredentials {
  const secret = `0x${randomBytes(32).toString('hex')}`;
  return { apiKey: addressOf(secret), secret };
}

/** Starts a Hyperliquid emulator on 127.0.0.1 (random port), trading one account in USDC. */
export function startHyperliquidEmulator(opts: HyperliquidStartOptions = {}): Promise<VenueEmulator> {
  const credentials = opts.credentials ?? randomWallet();
  return VenueEmulator.start(hyperliquidDialect(credentials.apiKey, opts), {
    credentials,
    markets: opts.markets ?? HYPERLIQUID_MARKETS,
    wallet: opts.wallet,
    hangMs: opts.hangMs,
  });
}
