import type { EmuMarket } from './markets.js';

/** A linear-perp account: one wallet in the settle currency, one-way positions, cross margin. */
export interface EmuPosition {
  readonly symbol: string;
  /** Signed base quantity. */
  qty: number;
  entry: number;
  realized: number;
  /** Position-level take-profit / stop-loss (Bybit trading-stop, Bitget position TP/SL). */
  tp: number | null;
  sl: number | null;
  updatedAt: number;
}

export interface EmuAccount {
  readonly wallet: number;
  readonly upnl: number;
  readonly positionMargin: number;
  readonly orderMargin: number;
  readonly equity: number;
  readonly available: number;
}

/** Positions and the wallet. Fills land here; realised P&L and fees move the wallet. */
export class EmuLedger {
  wallet: number;
  private readonly positions = new Map<string, EmuPosition>();
  private readonly leverages = new Map<string, number>();

  constructor(wallet: number) {
    this.wallet = wallet;
  }

  position(symbol: string): EmuPosition {
    let p = this.positions.get(symbol);
    if (!p) {
      p = { symbol, qty: 0, entry: 0, realized: 0, tp: null, sl: null, updatedAt: Date.now() };
      this.positions.set(symbol, p);
    }
    return p;
  }

  open(): EmuPosition[] {
    return [...this.positions.values()].filter((p) => p.qty !== 0);
  }

  leverage(symbol: string): number {
    return this.leverages.get(symbol) ?? 10;
  }

  setLeverage(symbol: string, leverage: number): void {
    this.leverages.set(symbol, leverage);
  }

  /** Applies a fill of `qty` (> 0) at `price`; returns the realised P&L. */
  apply(symbol: string, side: 'buy' | 'sell', qty: number, price: number, fee: number): number {
    const p = this.position(symbol);
    const signed = side === 'buy' ? qty : -qty;
    let pnl = 0;
    if (p.qty === 0 || Math.sign(p.qty) === Math.sign(signed)) {
      p.entry = (Math.abs(p.qty) * p.entry + qty * price) / (Math.abs(p.qty) + qty);
    } else {
      const closing = Math.min(Math.abs(p.qty), qty);
      pnl = closing * (price - p.entry) * Math.sign(p.qty);
      if (qty > Math.abs(p.qty)) p.entry = price;
    }
    p.qty = round(p.qty + signed);
    if (p.qty === 0) {
      p.entry = 0;
      p.tp = null;
      p.sl = null;
    }
    p.realized += pnl;
    p.updatedAt = Date.now();
    this.wallet += pnl - fee;
    return pnl;
  }

  account(markets: readonly EmuMarket[], priceOf: (symbol: string) => number, orderMargin: number): EmuAccount {
    let upnl = 0;
    let positionMargin = 0;
    for (const p of this.open()) {
      if (!markets.some((m) => m.symbol === p.symbol)) continue;
      upnl += p.qty * (priceOf(p.symbol) - p.entry);
      positionMargin += (Math.abs(p.qty) * p.entry) / this.leverage(p.symbol);
    }
    const equity = this.wallet + upnl;
    return {
      wallet: this.wallet,
      upnl,
      positionMargin,
      orderMargin,
      equity,
      available: equity - positionMargin - orderMargin,
    };
  }
}

export function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}
