import {
  ApiError,
  type ApiKeyCreds,
  AssetType,
  ClobClient,
  ExchangeOrderBuilder,
  getContractConfig,
  type OpenOrder,
  type OrderBookSummary,
  OrderType,
  Side,
  type SignedOrder,
  type Trade,
} from '@polymarket/clob-client';
import { createWalletClient, custom } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { VenueError } from '../../../ports/venue.js';
import type { PolymarketConfig } from './config.js';
import type { PolymarketCredentials } from './credentials.js';
import { toVenueError } from './errors.js';
import { type PmMarket, PmMarketSchema, PmOrderPostSchema } from './schemas.js';

export { OrderType, Side };

/**
 * The CLOB through @polymarket/clob-client: one method per endpoint the venue uses, each bounded by the configured
 * timeout and mapped to VenueError. L2 keys are derived from the wallet (createOrDeriveApiKey) when not configured.
 */
export class PolymarketClient {
  private l2: Promise<ClobClient> | null = null;
  private readonly wallet;
  /** The key's own address; null without a wallet key (public market data only). */
  readonly address: string | null;

  constructor(
    readonly config: PolymarketConfig,
    private readonly creds: PolymarketCredentials | null,
  ) {
    const account = creds ? privateKeyToAccount(creds.privateKey) : null;
    this.address = account?.address ?? null;
    // Signing is local; the transport is never asked anything.
    this.wallet = account
      ? createWalletClient({
          account,
          transport: custom({
            request: async () => {
              throw new Error('no RPC: orders are signed locally');
            },
          }),
        })
      : undefined;
  }

  /** The wallet that holds the positions: the funder (proxy / Safe) when configured, else the key's own address. */
  get maker(): string {
    return this.creds?.funder ?? this.address ?? '';
  }

  private clob(creds?: ApiKeyCreds): ClobClient {
    return new ClobClient(
      this.config.host,
      this.config.chainId,
      this.wallet,
      creds,
      this.creds?.signatureType,
      this.creds?.funder,
      undefined,
      false,
      undefined,
      undefined,
      false,
      undefined,
      true,
    );
  }

  /** The L2 client, its API key read from the credentials or derived once from the wallet. */
  private trading(): Promise<ClobClient> {
    if (!this.creds)
      return Promise.reject(
        new VenueError(
          'AUTH_FAILED',
          'no Polymarket wallet key: set ARBITER_POLYMARKET_PRIVATE_KEY (or the secrets file)',
        ),
      );
    if (!this.l2) {
      const { apiKey, secret, passphrase } = this.creds;
      this.l2 = (async () => {
        if (apiKey && secret && passphrase) return this.clob({ key: apiKey, secret, passphrase });
        // createOrDeriveApiKey's steps, with the venue's answers kept: the library's own version reads every failure
        // (an unreachable venue too) as "no key yet" and reports only an empty key.
        const l1 = this.clob();
        const k = await this.call(() => l1.createApiKey()).catch((err: unknown) => {
          if (err instanceof VenueError && err.code === 'INVALID_ORDER') return this.call(() => l1.deriveApiKey());
          throw err;
        });
        if (!k?.key || !k.secret || !k.passphrase)
          throw new VenueError('AUTH_FAILED', 'polymarket refused to issue or derive an API key for this wallet');
        return this.clob(k);
      })();
      this.l2.catch(() => {
        this.l2 = null;
      });
    }
    return this.l2;
  }

  async market(conditionId: string): Promise<PmMarket> {
    const raw = await this.call(() => this.clob().getMarket(conditionId)).catch((err: unknown) => {
      if (err instanceof VenueError && err.code === 'ORDER_NOT_FOUND')
        throw new VenueError(
          'INVALID_ORDER',
          `polymarket has no market ${conditionId} (see ARBITER_POLYMARKET_MARKETS)`,
        );
      throw err;
    });
    const r = PmMarketSchema.safeParse(raw);
    if (!r.success) throw new VenueError('UNKNOWN', `polymarket answered market ${conditionId} in an unknown shape`);
    return r.data;
  }

  /** An empty book when the CLOB has none for the token (it drops a market's books once it stops taking orders). */
  book(tokenId: string): Promise<OrderBookSummary> {
    return this.call(() => this.clob().getOrderBook(tokenId)).catch((err: unknown) => {
      if (!(err instanceof VenueError && err.code === 'ORDER_NOT_FOUND')) throw err;
      const empty: OrderBookSummary = {
        market: '',
        asset_id: tokenId,
        timestamp: String(Date.now()),
        bids: [],
        asks: [],
        min_order_size: '0',
        tick_size: '0',
        neg_risk: false,
        last_trade_price: '',
        hash: '',
      };
      return empty;
    });
  }

  /** Signs a limit order (GTC / FOK / FAK are chosen at posting). */
  async signLimit(tokenId: string, side: Side, price: number, size: number, tick: string, negRisk: boolean) {
    const c = await this.trading();
    return this.call(() =>
      c.createOrder({ tokenID: tokenId, side, price, size }, { tickSize: tick as '0.01', negRisk }),
    );
  }

  /** Signs a market SELL of `shares` down to `worst` (createMarketOrder: SELL amounts are shares). */
  async signMarketSell(tokenId: string, shares: number, worst: number, tick: string, negRisk: boolean) {
    const c = await this.trading();
    return this.call(() =>
      c.createMarketOrder(
        { tokenID: tokenId, side: Side.SELL, amount: shares, price: worst },
        { tickSize: tick as '0.01', negRisk },
      ),
    );
  }

  /** The signed order's EIP-712 hash: the id the CLOB will give it. */
  orderId(order: SignedOrder, negRisk: boolean): string {
    const c = getContractConfig(this.config.chainId);
    // Hashing needs no signer; the builder only keeps it.
    const b = new ExchangeOrderBuilder(negRisk ? c.negRiskExchange : c.exchange, this.config.chainId, this.wallet!);
    return b.buildOrderHash(b.buildOrderTypedData(order));
  }

  async post(order: SignedOrder, type: OrderType, postOnly: boolean): Promise<string> {
    const c = await this.trading();
    const raw = await this.call(() => c.postOrder(order, type, false, postOnly));
    const r = PmOrderPostSchema.safeParse(raw);
    if (!r.success) throw new VenueError('UNKNOWN', 'polymarket answered an order placement in an unknown shape');
    // A refusal can also come as 200 with success false: classified like an error answer.
    if (!r.data.success || !r.data.orderID)
      throw toVenueError(new ApiError(r.data.errorMsg || 'no order id in the answer', 400), this.creds ?? undefined);
    return r.data.orderID;
  }

  async cancel(orderId: string): Promise<{ canceled: string[]; not_canceled: Record<string, string> }> {
    const c = await this.trading();
    return this.call(() => c.cancelOrder({ orderID: orderId }));
  }

  /** null when the CLOB does not know the id. */
  async order(orderId: string): Promise<OpenOrder | null> {
    const c = await this.trading();
    try {
      const o = await this.call(() => c.getOrder(orderId));
      return o && typeof o === 'object' && 'id' in o ? o : null;
    } catch (err) {
      if (err instanceof VenueError && err.code === 'ORDER_NOT_FOUND') return null;
      throw err;
    }
  }

  async openOrders(tokenId?: string): Promise<OpenOrder[]> {
    const c = await this.trading();
    return this.call(() => c.getOpenOrders(tokenId ? { asset_id: tokenId } : undefined));
  }

  async trades(tokenId: string): Promise<Trade[]> {
    const c = await this.trading();
    return this.call(() => c.getTrades({ asset_id: tokenId }));
  }

  /** USDC (no token id) or a conditional token's balance, in units (the CLOB answers 6-decimal integers). */
  async balance(tokenId?: string): Promise<number> {
    const c = await this.trading();
    const r = await this.call(() =>
      c.getBalanceAllowance(
        tokenId ? { asset_type: AssetType.CONDITIONAL, token_id: tokenId } : { asset_type: AssetType.COLLATERAL },
      ),
    );
    const n = Number(r?.balance);
    if (!Number.isFinite(n)) throw new VenueError('UNKNOWN', 'polymarket answered a balance that is not a number');
    return n / 1e6;
  }

  /**
   * The wallet's USDC and the exchange's allowance of it, in USDC (an L2 call: it fails with AUTH_FAILED when the
   * keys do not authenticate). Where the CLOB answers one allowance per exchange contract, the smallest binds.
   */
  async collateral(): Promise<{ balance: number; allowance: number }> {
    const c = await this.trading();
    const r = (await this.call(() => c.getBalanceAllowance({ asset_type: AssetType.COLLATERAL }))) as unknown as {
      balance?: unknown;
      allowance?: unknown;
      allowances?: Record<string, unknown>;
    };
    const balance = Number(r?.balance);
    const raw = r?.allowance !== undefined ? [r.allowance] : Object.values(r?.allowances ?? {});
    const allowance = Math.min(...raw.map(Number));
    if (!Number.isFinite(balance) || raw.length === 0 || Number.isNaN(allowance))
      throw new VenueError('UNKNOWN', 'polymarket answered a balance or allowance that is not a number');
    return { balance: balance / 1e6, allowance: allowance / 1e6 };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new VenueError('TIMEOUT', `polymarket did not answer within ${this.config.timeoutMs} ms`)),
        this.config.timeoutMs,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw toVenueError(err, this.creds ?? undefined);
    } finally {
      clearTimeout(timer);
    }
  }
}
