import { DEFAULT_PAPER_CONFIG, type PaperConfig } from '../../core/paper/config.js';
import type { PaperMarketView } from '../../core/paper/market-view.js';
import type { PaperAccount } from '../../core/paper/types.js';
import { balanceView, positionViews } from '../../core/paper/views.js';
import type {
  Venue,
  VenueAccountSnapshot,
  VenueBalance,
  VenueOrder,
  VenueOrderRequest,
  VenuePosition,
} from '../../ports/venue.js';
import type { PaperAccounts } from '../venues/paper/paper-accounts.js';
import type { PaperVenue } from '../venues/paper/paper-venue.js';

/**
 * The paper venue as the arena uses it: every order, cancel and amend goes to the PaperVenue (same fill model,
 * same accounts). Reads of an account that the venue has already brought up to the market's now (it just
 * handled an order) are answered from the stored account with the paper engine's own views instead of a
 * read-modify-write: the venue would compute exactly the same numbers and change nothing.
 */
export class ArenaVenue implements Venue {
  readonly name: string;
  readonly live = false;

  constructor(
    private readonly paper: PaperVenue,
    private readonly accounts: PaperAccounts,
    private readonly market: PaperMarketView,
    private readonly cfg: PaperConfig = DEFAULT_PAPER_CONFIG,
  ) {
    this.name = paper.name;
  }

  /** The account caught up to now (the venue works resting orders, funding and liquidation first). */
  account(accountId: string): Promise<PaperAccount> {
    return this.paper.account(accountId);
  }

  /** The account as last stored (right after the venue handled a call for it). */
  async peek(accountId: string): Promise<PaperAccount> {
    return (await this.accounts.get(accountId)) ?? this.paper.account(accountId);
  }

  /** The stored account when it is already processed up to the market's now, else null. */
  private async current(accountId: string): Promise<PaperAccount | null> {
    const acc = await this.accounts.get(accountId);
    if (acc === null) return null;
    const now = this.market.marketTime();
    return now !== null && acc.processedTs === now ? acc : null;
  }

  async balance(accountId: string): Promise<VenueBalance> {
    const acc = await this.current(accountId);
    return acc ? balanceView(acc, this.market, this.cfg) : this.paper.balance(accountId);
  }

  async positions(accountId: string): Promise<readonly VenuePosition[]> {
    const acc = await this.current(accountId);
    if (!acc) return this.paper.positions(accountId);
    return positionViews(acc, this.market, this.cfg).map(({ takeProfit: _tp, stopLoss: _sl, ...p }) => p);
  }

  accountSnapshot(accountId: string, clientOrderIds: readonly string[]): Promise<VenueAccountSnapshot> {
    return this.paper.accountSnapshot(accountId, clientOrderIds);
  }

  placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    return this.paper.placeOrder(req);
  }
  cancelOrder(accountId: string, orderId: string): Promise<VenueOrder> {
    return this.paper.cancelOrder(accountId, orderId);
  }
  amendOrder(
    accountId: string,
    orderId: string,
    changes: { readonly quantity?: number; readonly limitPrice?: number },
  ) {
    return this.paper.amendOrder(accountId, orderId, changes);
  }
  orderByClientId(accountId: string, clientOrderId: string): Promise<VenueOrder | null> {
    return this.paper.orderByClientId(accountId, clientOrderId);
  }
  openOrders(accountId: string, symbol?: string): Promise<readonly VenueOrder[]> {
    return this.paper.openOrders(accountId, symbol);
  }
  orderHistory(accountId: string, limit: number): Promise<readonly VenueOrder[]> {
    return this.paper.orderHistory(accountId, limit);
  }
  setLeverage(accountId: string, symbol: string, leverage: number): Promise<void> {
    return this.paper.setLeverage(accountId, symbol, leverage);
  }
  setTradingStop(
    accountId: string,
    symbol: string,
    stops: { readonly takeProfit?: number | null; readonly stopLoss?: number | null },
  ): Promise<void> {
    return this.paper.setTradingStop(accountId, symbol, stops);
  }
}
