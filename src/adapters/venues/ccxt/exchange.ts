import ccxt, { type Exchange } from 'ccxt';
import type { CcxtVenueConfig, VenueCredentials } from './config.js';
import { hyperliquidWallet, restrictToRequestedActions } from './hyperliquid.js';
import { profileOf } from './profiles.js';

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/** Builds the ccxt exchange for one venue account: profile options, testnet / demo switch, URL override. */
export function createExchange(config: CcxtVenueConfig, creds?: VenueCredentials): Exchange {
  const id = config.exchangeId;
  if (!(ccxt.exchanges as unknown as string[]).includes(id)) throw new Error(`unknown ccxt exchange id "${id}"`);
  const Ctor = (ccxt as unknown as Record<string, ExchangeClass>)[id]!;
  if (id === 'hyperliquid' && config.mode === 'demo') {
    throw new Error('hyperliquid has no demo endpoints: use ARBITER_VENUE_MODE=testnet (its testnet) or live');
  }
  // Hyperliquid signs with a wallet key; its credentials are the wallet address and that key (see hyperliquid.ts).
  const keys =
    id === 'hyperliquid'
      ? creds && hyperliquidWallet(creds)
      : { apiKey: creds?.apiKey, secret: creds?.secret, password: creds?.passphrase };
  const exchange = new Ctor({
    ...keys,
    timeout: config.timeoutMs,
    enableRateLimit: config.enableRateLimit,
    options: profileOf(id).options(config),
  });
  // loadMarkets must work with public endpoints only; currencies are not needed for trading.
  exchange.has.fetchCurrencies = false;
  profileOf(id).prepare?.(exchange);
  if (id === 'hyperliquid') restrictToRequestedActions(exchange);
  if (config.mode === 'testnet') exchange.setSandboxMode(true);
  if (config.mode === 'demo') enableDemo(exchange);
  if (config.baseUrl !== undefined) overrideOrigins(exchange, config.baseUrl);
  return exchange;
}

function enableDemo(exchange: Exchange): void {
  const demo = (exchange as unknown as { enableDemoTrading?: (on: boolean) => void }).enableDemoTrading;
  // OKX and Bitget run demo trading on the sandbox switch (a header on the live host).
  if (typeof demo === 'function') demo.call(exchange, true);
  else exchange.setSandboxMode(true);
}

/**
 * Replaces the scheme + host of every REST URL under `urls.api`, keeping each path prefix. Venues that choose their
 * error table by URL (Binance: spot vs USDⓈ-M) are shown the original URL, so errors map as they would live.
 */
function overrideOrigins(exchange: Exchange, baseUrl: string): void {
  const origin = new URL(baseUrl).origin;
  const pairs: [string, string][] = [];
  const walk = (node: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string') {
        node[k] = v.replace(/^https?:\/\/[^/]+/, origin);
        pairs.push([node[k] as string, exchange.implodeHostname(v)]);
      } else if (v && typeof v === 'object') walk(v as Record<string, unknown>);
    }
  };
  const urls = exchange.urls as Record<string, unknown>;
  if (urls.api && typeof urls.api === 'object') walk(urls.api as Record<string, unknown>);
  pairs.sort((a, b) => b[0].length - a[0].length);
  const target = exchange as unknown as { getExceptionsByUrl?: (url: string, kind: string) => unknown };
  const original = target.getExceptionsByUrl;
  if (typeof original !== 'function') return;
  target.getExceptionsByUrl = (url: string, kind: string) => {
    const pair = pairs.find(([local]) => url?.startsWith(local));
    return original.call(exchange, pair ? pair[1] + url.slice(pair[0].length) : url, kind);
  };
}
