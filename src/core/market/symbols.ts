import type { MarketKind } from './types.js';

/** Quote currencies recognised when an exchange-native name (`BTCUSDT`) must be split. Longest first. */
const KNOWN_QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USD', 'EUR', 'BTC', 'ETH'] as const;

export interface ParsedSymbol {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: MarketKind;
}

// A base may hold inner hyphens (a prediction market's outcome token: `FED-CUT-DEC-YES/USDC`).
const UNIFIED = /^([A-Z0-9](?:[A-Z0-9-]{0,38}[A-Z0-9])?)\/([A-Z0-9]{1,10})(?::([A-Z0-9]{1,10}))?$/;
const NATIVE = /^([A-Z0-9]{2,30}?)[-_]?(FDUSD|USDT|USDC|BUSD|TUSD|USD|EUR|BTC|ETH)(?:[-_.]?(PERP|SWAP|P))?$/;

/**
 * Maps a symbol to the unified ccxt form. Accepts `BTC/USDT`, `BTC/USDT:USDT`, and exchange-native names
 * (`BTCUSDT`, `btc-usdt`, `BTC-USDT-SWAP`, `BTCUSDT.P`, `BTCUSDT-PERP`). Returns null when it cannot tell.
 */
export function parseSymbol(input: string): ParsedSymbol | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) return null;
  const s = input.trim().toUpperCase();
  const u = UNIFIED.exec(s);
  if (u) {
    const [, base, quote, settle] = u;
    if (!base || !quote) return null;
    if (settle !== undefined && settle !== quote) return null; // inverse / cross-settled perps are not supported
    const kind: MarketKind = settle ? 'perp' : 'spot';
    return { symbol: settle ? `${base}/${quote}:${settle}` : `${base}/${quote}`, base, quote, kind };
  }
  const n = NATIVE.exec(s);
  if (n) {
    const [, base, quote, perp] = n;
    if (!base || !quote || !KNOWN_QUOTES.includes(quote as (typeof KNOWN_QUOTES)[number])) return null;
    const kind: MarketKind = perp ? 'perp' : 'spot';
    return { symbol: kind === 'perp' ? `${base}/${quote}:${quote}` : `${base}/${quote}`, base, quote, kind };
  }
  return null;
}

/** `BTC/USDT:USDT` → `BTCUSDT` (what most venues call it natively). */
export function nativeSymbol(unified: string): string {
  const p = parseSymbol(unified);
  return p ? `${p.base}${p.quote}` : unified.replace(/[/:-]/g, '');
}
