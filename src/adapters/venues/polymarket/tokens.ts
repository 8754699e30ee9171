import { outcomeSymbol } from '../../../core/prediction/types.js';
import { VenueError } from '../../../ports/venue.js';
import type { PolymarketClient } from './client.js';

export interface PmTokenInfo {
  readonly symbol: string;
  readonly tokenId: string;
  readonly conditionId: string;
  readonly tickSize: number;
  readonly minSize: number;
  readonly negRisk: boolean;
}

/**
 * Arbiter's outcome-token symbols (`FED-CUT-YES/USDC`) ↔ CLOB token ids, from the configured market id → condition
 * id map and the CLOB's market listing (each market names its Yes and No token ids, tick size and neg-risk flag).
 */
export class TokenMap {
  private loaded: Promise<Map<string, PmTokenInfo>> | null = null;

  constructor(
    private readonly client: PolymarketClient,
    private readonly markets: Readonly<Record<string, string>>,
  ) {}

  all(): Promise<Map<string, PmTokenInfo>> {
    if (!this.loaded) {
      this.loaded = this.load();
      this.loaded.catch(() => {
        this.loaded = null;
      });
    }
    return this.loaded;
  }

  async bySymbol(symbol: string): Promise<PmTokenInfo | null> {
    return (await this.all()).get(symbol.trim().toUpperCase()) ?? null;
  }

  async require(symbol: string): Promise<PmTokenInfo> {
    const t = await this.bySymbol(symbol);
    if (t) return t;
    const known = [...(await this.all()).keys()].join(', ');
    throw new VenueError('INVALID_ORDER', `polymarket has no configured market for ${symbol} (configured: ${known})`);
  }

  async byTokenId(tokenId: string): Promise<PmTokenInfo | null> {
    for (const t of (await this.all()).values()) if (t.tokenId === tokenId) return t;
    return null;
  }

  private async load(): Promise<Map<string, PmTokenInfo>> {
    const out = new Map<string, PmTokenInfo>();
    for (const [id, conditionId] of Object.entries(this.markets)) {
      const m = await this.client.market(conditionId);
      for (const outcome of ['YES', 'NO'] as const) {
        const token = m.tokens.find((t) => t.outcome.toUpperCase() === outcome);
        if (!token) throw new VenueError('UNKNOWN', `polymarket market ${conditionId} has no ${outcome} token`);
        const symbol = outcomeSymbol(id, outcome);
        out.set(symbol, {
          symbol,
          tokenId: token.token_id,
          conditionId,
          tickSize: m.minimum_tick_size,
          minSize: m.minimum_order_size,
          negRisk: m.neg_risk,
        });
      }
    }
    return out;
  }
}
