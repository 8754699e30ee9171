import { z } from 'zod';

/**
 * Wallet balance (cash) and equity (cash + unrealised P&L) in one currency, read from the venue's own balance
 * payload: ccxt's unified `total` is the wallet on some venues (Bybit) and the margin balance on others (Binance,
 * OKX, Bitget), so the neutral VenueBalance cannot be built from it alone.
 */
export interface WalletAndEquity {
  readonly wallet: number;
  readonly equity: number;
}

const amount = z.coerce.number().finite();

/** Bybit `/v5/account/wallet-balance` (unified account). */
const BybitWalletSchema = z.object({
  result: z.object({
    list: z.array(z.object({ coin: z.array(z.object({ coin: z.string(), walletBalance: amount, equity: amount })) })),
  }),
});

/** Binance USDⓈ-M `/fapi/v3/account`. */
const BinanceFuturesAccountSchema = z.object({
  assets: z.array(z.object({ asset: z.string(), walletBalance: amount, marginBalance: amount })),
});

/** OKX `/api/v5/account/balance`. */
const OkxBalanceSchema = z.object({
  data: z.array(z.object({ details: z.array(z.object({ ccy: z.string(), cashBal: amount, eq: amount })) })),
});

/** Bitget `/api/v2/mix/account/accounts` (ccxt keeps only its `data` list as `info`). */
const BitgetMixAccountSchema = z.object({ marginCoin: z.string(), accountEquity: amount, unrealizedPL: amount });
const BitgetMixAccountsSchema = z.union([
  z.array(BitgetMixAccountSchema),
  z.object({ data: z.array(BitgetMixAccountSchema) }).transform((r) => r.data),
]);

/** Hyperliquid `clearinghouseState`: account value is equity; the wallet is that less the positions' unrealised P&L. */
const HyperliquidStateSchema = z.object({
  marginSummary: z.object({ accountValue: amount }),
  assetPositions: z.array(z.object({ position: z.object({ unrealizedPnl: amount }) })),
});

type Reader = (info: unknown, currency: string) => WalletAndEquity | undefined;

const READERS: Readonly<Record<string, Reader>> = {
  bybit: (info, ccy) => {
    const c = BybitWalletSchema.safeParse(info)
      .data?.result.list.flatMap((a) => a.coin)
      .find((x) => x.coin === ccy);
    return c && { wallet: c.walletBalance, equity: c.equity };
  },
  binance: (info, ccy) => {
    const a = BinanceFuturesAccountSchema.safeParse(info).data?.assets.find((x) => x.asset === ccy);
    return a && { wallet: a.walletBalance, equity: a.marginBalance };
  },
  okx: (info, ccy) => {
    const d = OkxBalanceSchema.safeParse(info)
      .data?.data.flatMap((x) => x.details)
      .find((x) => x.ccy === ccy);
    return d && { wallet: d.cashBal, equity: d.eq };
  },
  bitget: (info, ccy) => {
    const a = BitgetMixAccountsSchema.safeParse(info).data?.find((x) => x.marginCoin === ccy);
    return a && { wallet: a.accountEquity - a.unrealizedPL, equity: a.accountEquity };
  },
  hyperliquid: (info, ccy) => {
    const s = ccy === 'USDC' ? HyperliquidStateSchema.safeParse(info).data : undefined;
    if (!s) return undefined;
    const upnl = s.assetPositions.reduce((t, p) => t + p.position.unrealizedPnl, 0);
    return { wallet: s.marginSummary.accountValue - upnl, equity: s.marginSummary.accountValue };
  },
};

/** The venue-reported wallet and equity, or null when the payload is not one we know. */
export function walletAndEquity(exchangeId: string, info: unknown, currency: string): WalletAndEquity | null {
  return READERS[exchangeId]?.(info, currency) ?? null;
}
