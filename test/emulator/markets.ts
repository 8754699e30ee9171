/** The instruments every venue emulator lists. Venue modules render them in each venue's own shape. */
export interface EmuMarket {
  /** Unified symbol: `BTC/USDT` spot, `BTC/USDT:USDT` linear perpetual. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: 'spot' | 'perp';
  readonly tickSize: number;
  /** Quantity step in base units. */
  readonly stepSize: number;
  readonly minQty: number;
  readonly minNotional: number;
  readonly maxLeverage: number;
  /** Base units per contract (OKX BTC-USDT-SWAP: 0.01). 1 where the venue trades in base units. */
  readonly contractSize: number;
  readonly initialPrice: number;
}

const BTC = { base: 'BTC', quote: 'USDT', tickSize: 0.1, stepSize: 0.001, minQty: 0.001, initialPrice: 60_000 };
const ETH = { base: 'ETH', quote: 'USDT', tickSize: 0.01, stepSize: 0.01, minQty: 0.01, initialPrice: 3_000 };

export const DEFAULT_MARKETS: readonly EmuMarket[] = [
  { ...BTC, symbol: 'BTC/USDT', kind: 'spot', minNotional: 5, maxLeverage: 1, contractSize: 1, stepSize: 0.00001 },
  { ...BTC, symbol: 'BTC/USDT:USDT', kind: 'perp', minNotional: 5, maxLeverage: 100, contractSize: 1 },
  { ...ETH, symbol: 'ETH/USDT:USDT', kind: 'perp', minNotional: 5, maxLeverage: 50, contractSize: 1 },
];

/** The same markets with a per-venue contract size (OKX lists perps in contracts of 0.01 BTC / 0.1 ETH). */
export function withContractSizes(sizes: Readonly<Record<string, number>>): EmuMarket[] {
  return DEFAULT_MARKETS.map((m) => ({ ...m, contractSize: sizes[m.symbol] ?? m.contractSize }));
}

/** Number of decimals a step such as 0.001 implies. */
export function decimalsOf(step: number): number {
  const s = step.toString();
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  return s.includes('.') ? s.split('.')[1]!.length : 0;
}

/** Formats a number on a step grid, as venues send decimals: `60000.1`, `0.010`. */
export function fmt(value: number, step: number): string {
  return value.toFixed(decimalsOf(step));
}

/** Prices of the six tokenized US stocks at emulator start (round figures, not quotes). */
const STOCK_PRICES: Readonly<Record<string, number>> = {
  AAPL: 230,
  TSLA: 350,
  NVDA: 180,
  MSFT: 510,
  GOOGL: 250,
  META: 740,
};

/** Tokenized US stocks as USDT-margined perpetuals (Bitget lists them as `AAPLUSDT` … in USDT-FUTURES). */
export const TOKENIZED_STOCK_PERPS: readonly EmuMarket[] = Object.entries(STOCK_PRICES).map(([base, price]) => ({
  symbol: `${base}/USDT:USDT`,
  base,
  quote: 'USDT',
  kind: 'perp',
  tickSize: 0.01,
  stepSize: 0.01,
  minQty: 0.01,
  minNotional: 5,
  maxLeverage: 10,
  contractSize: 1,
  initialPrice: price,
}));
