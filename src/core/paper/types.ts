/** The paper exchange's state and messages. All plain, JSON-serialisable data, never mutated after creation. */

export type PaperSide = 'buy' | 'sell';
export type PaperTimeInForce = 'GTC' | 'IOC' | 'FOK' | 'PO';
export type PaperOrderStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';
/** Who made the order: the account, a take-profit / stop-loss trigger, or the liquidation engine. */
export type OrderSource = 'client' | 'take_profit' | 'stop_loss' | 'liquidation';

export interface PaperFill {
  readonly fillId: string;
  readonly orderId: string;
  readonly ts: number;
  readonly price: number;
  readonly quantity: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
}

/** Shaped like the Venue port's VenueOrder, plus what the engine needs to keep working the order. */
export interface PaperOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: PaperSide;
  readonly type: 'market' | 'limit';
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly avgFillPrice: number | null;
  readonly limitPrice: number | null;
  readonly status: PaperOrderStatus;
  readonly reduceOnly: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly fills: readonly PaperFill[];
  readonly timeInForce: PaperTimeInForce;
  readonly source: OrderSource;
  /** Why the order ended without filling completely (post-only would cross, FOK not fillable, …). */
  readonly note: string | null;
}

export interface PaperPosition {
  readonly symbol: string;
  /** Signed base quantity: > 0 long, < 0 short (spot: never < 0). */
  readonly qty: number;
  readonly entryPrice: number;
  readonly takeProfit: number | null;
  readonly stopLoss: number | null;
}

export interface PaperTotals {
  readonly realizedPnl: number;
  readonly fees: number;
  /** Net funding paid (negative when received). */
  readonly funding: number;
}

/**
 * One account. `wallet` is the realised balance: starting cash + realised P&L − fees − funding. Spot holdings
 * are carried like a fully-paid 1x long (their cost is part of the wallet, locked as margin), so
 * equity = wallet + Σ qty·(mark − entry) for every position, spot or perpetual.
 */
export interface PaperAccount {
  readonly version: 1;
  readonly accountId: string;
  readonly startingCash: number;
  readonly wallet: number;
  readonly positions: Readonly<Record<string, PaperPosition>>;
  /** Chosen leverage per perpetual symbol (absent = the config default). */
  readonly leverage: Readonly<Record<string, number>>;
  /** Every order ever placed, oldest first (open ones are worked on each tick). */
  readonly orders: readonly PaperOrder[];
  /** Market time up to which resting orders, stops, funding and liquidation have been processed. */
  readonly processedTs: number;
  /** Counter behind order and fill ids, so ids replay identically. */
  readonly seq: number;
  readonly totals: PaperTotals;
  /**
   * Prediction-market outcome tokens held, by unified symbol (`<MARKET>-YES/USDC`): shares and the collateral
   * paid for them (fees apart). Bought with the wallet's cash, so the wallet no longer counts them; absent when
   * the account never held any. Worked by core/prediction/paper-outcomes.ts, not by this engine.
   */
  readonly outcomes?: Readonly<Record<string, OutcomeHolding>>;
  /**
   * Settlements paid into the wallet whose ledger record and audit row are not yet known to be written: left in
   * the same stored update as the payment, so a crash between the two loses no record (the venue writes them on
   * its next pass and then removes them). Absent when there are none.
   */
  readonly unrecordedSettlements?: readonly UnrecordedSettlement[];
}

/** A settlement as the paper account keeps it until it is recorded (see core/prediction/paper-outcomes.ts). */
export interface UnrecordedSettlement {
  readonly accountId: string;
  readonly marketId: string;
  readonly resolved: 'YES' | 'NO';
  readonly held: 'YES' | 'NO';
  readonly shares: number;
  readonly payout: number;
  readonly costBasis: number;
  readonly ts: number;
}

/** Shares of one outcome token and the collateral paid for them (reduced pro rata by sales). */
export interface OutcomeHolding {
  readonly qty: number;
  readonly cost: number;
}

/** What happened to the money, one event per change: value conservation is checked against these. */
export type PaperEvent =
  | {
      readonly kind: 'fill';
      readonly ts: number;
      readonly symbol: string;
      readonly orderId: string;
      readonly source: OrderSource;
      readonly side: PaperSide;
      readonly quantity: number;
      readonly price: number;
      readonly fee: number;
      readonly liquidity: 'maker' | 'taker';
      readonly realizedPnl: number;
    }
  | {
      readonly kind: 'funding';
      readonly ts: number;
      readonly symbol: string;
      readonly rate: number;
      readonly quantity: number;
      readonly markPrice: number;
      /** Paid by the account (negative = received). */
      readonly amount: number;
    }
  | { readonly kind: 'liquidation'; readonly ts: number; readonly equity: number; readonly maintenance: number };

export type EngineErrorCode = 'INSUFFICIENT_BALANCE' | 'INVALID_ORDER' | 'ORDER_NOT_FOUND';

export interface EngineError {
  readonly code: EngineErrorCode;
  readonly message: string;
}

export type EngineResult =
  | {
      readonly ok: true;
      readonly account: PaperAccount;
      readonly events: readonly PaperEvent[];
      readonly order: PaperOrder | null;
    }
  | { readonly ok: false; readonly error: EngineError };

export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: PaperSide;
  readonly type: 'market' | 'limit';
  readonly quantity: number;
  readonly limitPrice: number | null;
  readonly timeInForce: PaperTimeInForce;
  readonly reduceOnly: boolean;
  readonly leverage: number | null;
}
