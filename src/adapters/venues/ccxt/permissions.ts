import { z } from 'zod';
import type { CcxtClient } from './client.js';

/**
 * Whether an API key may trade, from the venue's key-information endpoint. null when the venue has no such
 * endpoint in ccxt or the answer is not one we know: "unknown" is reported as unknown, never as yes.
 */

/** Bybit `/v5/user/query-api`. */
const BybitApiKeyInfoSchema = z.object({
  result: z.object({
    readOnly: z.coerce.number(),
    permissions: z.record(z.string(), z.array(z.string())),
  }),
});

/** OKX `/api/v5/account/config`: `perm` is e.g. `read_only,trade`. */
const OkxAccountConfigSchema = z.object({ data: z.array(z.object({ perm: z.string() })).min(1) });

/** Binance `/sapi/v1/account/apiRestrictions`. */
const BinanceApiRestrictionsSchema = z.object({
  enableFutures: z.boolean().optional(),
  enableSpotAndMarginTrading: z.boolean().optional(),
});

/** Hyperliquid `/info` `userRole`: the account itself (`user`), or an API wallet (`agent`) of `data.user`. */
const HyperliquidUserRoleSchema = z.object({
  role: z.string(),
  data: z.object({ user: z.string() }).optional(),
});

interface WalletExchange {
  readonly walletAddress: string;
  readonly privateKey: string;
  ethGetAddressFromPrivateKey(privateKey: string): string;
}

type Probe = (client: CcxtClient) => Promise<boolean | null>;

const PROBES: Readonly<Record<string, Probe>> = {
  bybit: async (client) => {
    const r = BybitApiKeyInfoSchema.safeParse(await client.implicit('privateGetV5UserQueryApi', {}));
    if (!r.success) return null;
    const contract = r.data.result.permissions.ContractTrade ?? [];
    return r.data.result.readOnly === 0 && contract.includes('Order');
  },
  okx: async (client) => {
    const r = OkxAccountConfigSchema.safeParse(await client.implicit('privateGetAccountConfig', {}));
    return r.success ? r.data.data[0]!.perm.split(',').includes('trade') : null;
  },
  binance: async (client) => {
    const r = BinanceApiRestrictionsSchema.safeParse(await client.implicit('sapiGetAccountApiRestrictions', {}));
    if (!r.success) return null;
    const flag = client.config.marketType === 'swap' ? r.data.enableFutures : r.data.enableSpotAndMarginTrading;
    return flag ?? null;
  },
  // Reads are public at Hyperliquid (any address's state); trading needs the key to be the wallet's or one of its
  // API wallets. Nothing is signed: the key's address is asked for its role.
  hyperliquid: async (client) => {
    const ex = client.exchange as unknown as WalletExchange;
    const signer = ex.ethGetAddressFromPrivateKey(ex.privateKey).toLowerCase();
    const wallet = ex.walletAddress.toLowerCase();
    const answer = await client.implicit('publicPostInfo', { type: 'userRole', user: signer });
    const r = HyperliquidUserRoleSchema.safeParse(answer);
    if (!r.success) return null;
    if (signer === wallet) return r.data.role === 'user';
    return r.data.role === 'agent' && r.data.data?.user.toLowerCase() === wallet;
  },
};

export async function probeTradePermission(client: CcxtClient): Promise<boolean | null> {
  const probe = PROBES[client.id];
  if (!probe) return null;
  try {
    return await probe(client);
  } catch {
    return null;
  }
}
