/** The emulator engine's records. Venue modules render them in each venue's wire format. */

export type EmuSide = 'buy' | 'sell';
export type EmuTif = 'GTC' | 'IOC' | 'FOK' | 'PO';
export type EmuOrderStatus = 'new' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

export interface EmuOrder {
  readonly id: string;
  readonly clientId: string;
  readonly symbol: string;
  readonly side: EmuSide;
  readonly type: 'market' | 'limit';
  qty: number;
  price: number | null;
  readonly tif: EmuTif;
  readonly reduceOnly: boolean;
  status: EmuOrderStatus;
  filled: number;
  avgPrice: number;
  fee: number;
  liquidity: 'maker' | 'taker' | null;
  readonly createdAt: number;
  updatedAt: number;
}

/** A conditional close order (Binance algo order, OKX algo order, Bitget plan order). */
export interface EmuStopOrder {
  readonly id: string;
  readonly clientId: string;
  readonly symbol: string;
  readonly kind: 'tp' | 'sl';
  readonly trigger: number;
  readonly side: EmuSide;
  /** null = close the whole position. */
  readonly qty: number | null;
  status: 'live' | 'cancelled' | 'triggered';
  readonly createdAt: number;
}

export type EmuRejectReason = 'duplicate' | 'insufficient' | 'invalid' | 'not_found' | 'reduce_only';

/** A business rejection; each venue module renders it as that venue's error response. */
export class EmuReject extends Error {
  constructor(
    readonly reason: EmuRejectReason,
    message: string,
  ) {
    super(message);
  }
}

export interface PlaceInput {
  readonly symbol: string;
  readonly side: EmuSide;
  readonly type: 'market' | 'limit';
  /** Base units. */
  readonly qty: number;
  readonly price?: number | null;
  readonly tif?: EmuTif;
  readonly reduceOnly?: boolean;
  readonly clientId?: string;
}
