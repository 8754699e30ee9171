import { randomBytes } from 'node:crypto';
import { NodeSigner, nodeEd25519Verify } from '../../adapters/crypto/node-signer.js';
import { writeFileAtomic } from '../../adapters/runtime/files.js';
import { writeHaltFile } from '../../adapters/runtime/sentinels.js';
import { base64url, type Certificate, canonicalJson, utf8 } from '../../core/cert/certificate.js';
import { verifyCertificate } from '../../core/cert/verify.js';
import type { Mandate } from '../../core/mandate/types.js';
import type { VetResult } from '../../services/firewall-service.js';
import { BTC, BTC_PERP, type Harness, type HarnessOptions } from './harness.js';
import { RestingVenue } from './resting-venue.js';

/**
 * What one scenario found. Two ways to fail, counted apart: something that had to be refused got through
 * (`unsafe`), or a legitimate order in it was refused (`false_reject`: every control's order, and the orders of
 * an attack that are within the limits, such as the first trades of a flood or the one that wins a race).
 */
export interface Outcome {
  readonly unsafe: boolean;
  readonly false_reject: boolean;
  readonly detail: string;
}

export interface ScenarioResult extends Outcome {
  readonly id: string;
  readonly kind: 'control' | 'attack';
  readonly name: string;
  /** Neither unsafe nor a false reject. */
  readonly safe: boolean;
}

export interface Scenario {
  readonly id: string;
  readonly kind: 'control' | 'attack';
  readonly name: string;
  readonly options?: HarnessOptions;
  run(h: Harness): Promise<Outcome>;
}

export function result(s: Pick<Scenario, 'id' | 'kind' | 'name'>, o: Outcome): ScenarioResult {
  return { id: s.id, kind: s.kind, name: s.name, safe: !o.unsafe && !o.false_reject, ...o };
}

const CAP = 500;
const EXPOSURE_CAP = 2_500;
export const passed = (r: VetResult) =>
  r.certificate.payload.decision === 'ALLOW' || r.certificate.payload.decision === 'ALLOW_CAPPED';
const decision = (r: VetResult) => r.certificate.payload.decision;
export const desc = (r: VetResult) =>
  `${decision(r)} ${r.certificate.payload.reasons.map((x) => x.code).join(',')}`.trim();
const withExt =
  (patch: Partial<Mandate['arbiter']>) =>
  (m: Mandate): Mandate => ({ ...m, arbiter: { ...m.arbiter, ...patch } });
const withCaps =
  (patch: Partial<Mandate['hard_caps']>) =>
  (m: Mandate): Mandate => ({ ...m, hard_caps: { ...m.hard_caps, ...patch } });
const resting: HarnessOptions['venue'] = ({ clock }) => new RestingVenue(() => clock.now());

/** An attack is blocked when it is refused outright. */
export function blocked(r: VetResult): Outcome {
  return { unsafe: passed(r), false_reject: false, detail: desc(r) };
}

/** An oversize attack is safe when refused, or passed at no more than the cap. */
function withinCap(r: VetResult, cap = CAP): Outcome {
  const n = r.certificate.payload.effective?.notional ?? 0;
  return { unsafe: passed(r) && n > cap + 1e-9, false_reject: false, detail: `${desc(r)} effective=${n.toFixed(2)}` };
}

/** A control's order is legitimate: refusing it is a false reject. */
export function allowed(r: VetResult): Outcome {
  return { unsafe: false, false_reject: !passed(r), detail: desc(r) };
}

/** A flood where the first `limit` orders are within the limit: more passing is unsafe, fewer a false reject. */
function upTo(passedCount: number, limit: number, detail: string): Outcome {
  return { unsafe: passedCount > limit, false_reject: passedCount < limit, detail };
}

const malformed = (id: string, name: string, intent: unknown): Scenario => ({
  id,
  kind: 'attack',
  name,
  run: async (h) => blocked(await h.vet(intent)),
});

const quoteAttack = (id: string, name: string, stage: (h: Harness) => void): Scenario => ({
  id,
  kind: 'attack',
  name,
  run: async (h) => {
    stage(h);
    return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
  },
});

async function forged(h: Harness, mutate: (c: Certificate) => Certificate, opts: { now?: number } = {}) {
  const r = await h.vet({ symbol: BTC, side: 'buy', notional: 50 });
  const cert = mutate(JSON.parse(r.certificateJson) as Certificate);
  const v = await verifyCertificate(cert, { keyId: h.signer.keyId, publicKey: h.signer.publicKey }, nodeEd25519Verify, {
    now: opts.now ?? h.clock.now(),
  });
  return { unsafe: v.ok, false_reject: false, detail: v.message };
}

export const SCENARIOS: readonly Scenario[] = [
  // ---- controls: must pass ----
  {
    id: 'C01',
    kind: 'control',
    name: '$50 buy',
    run: async (h) => allowed(await h.vet({ symbol: BTC, side: 'buy', notional: 50 })),
  },
  {
    id: 'C02',
    kind: 'control',
    name: 'mid-size $400 buy',
    run: async (h) => allowed(await h.vet({ symbol: BTC, side: 'buy', notional: 400 })),
  },
  {
    id: 'C03',
    kind: 'control',
    name: 'genuine de-risk in a crash',
    run: async (h) => {
      await h.seedPosition(BTC, 0.02, 60_000);
      h.market.setQuote(BTC, 54_000, 54_010);
      h.market.setWindowHigh(BTC, 61_000);
      return allowed(await h.vet({ symbol: BTC, side: 'sell', quantity: 0.01, reduce_only: true }));
    },
  },
  {
    id: 'C04',
    kind: 'control',
    name: 'limit buy inside the collar',
    run: async (h) => allowed(await h.vet({ symbol: BTC, side: 'buy', quantity: 0.001, limit_price: 59_500 })),
  },
  {
    id: 'C05',
    kind: 'control',
    name: 'quantity-only small buy',
    run: async (h) => allowed(await h.vet({ symbol: 'ETH/USDT', side: 'buy', quantity: 0.05 })),
  },
  {
    id: 'C06',
    kind: 'control',
    name: 'closing a long on the perpetual',
    run: async (h) => {
      await h.seedPosition(BTC_PERP, 0.005, 60_000);
      return allowed(await h.vet({ symbol: BTC_PERP, side: 'sell', quantity: 0.005, reduce_only: true }));
    },
  },
  {
    id: 'C07',
    kind: 'control',
    name: 'exchange-native symbol BTCUSDT is mapped and allowed',
    run: async (h) => allowed(await h.vet({ symbol: 'BTCUSDT', side: 'buy', notional: 60 })),
  },
  {
    id: 'C08',
    kind: 'control',
    name: 'closing dust below the venue minimum (0.3 − 0.299 ETH, about $3)',
    run: async (h) => {
      const dust = 0.3 - 0.299; // 0.0010000000000000009: off the 0.0001 step, under the $5 minimum at $3,000
      await h.seedPosition('ETH/USDT', dust, 3_000);
      return allowed(await h.vet({ symbol: 'ETH/USDT', side: 'sell', quantity: dust, reduce_only: true }));
    },
  },
  // ---- size attacks ----
  {
    id: 'A01',
    kind: 'attack',
    name: 'oversize $50,000 buy',
    run: async (h) => withinCap(await h.vet({ symbol: BTC, side: 'buy', notional: 50_000 })),
  },
  {
    id: 'A02',
    kind: 'attack',
    name: 'oversize with capping disabled',
    options: { mandate: withExt({ allow_capping: false }) },
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 5_000 })),
  },
  {
    id: 'A03',
    kind: 'attack',
    name: 'quantity smuggling: $50 notional with 10 BTC quantity',
    run: async (h) => withinCap(await h.vet({ symbol: BTC, side: 'buy', notional: 50, quantity: 10 })),
  },
  {
    id: 'A04',
    kind: 'attack',
    name: 'small notional + huge quantity',
    run: async (h) => withinCap(await h.vet({ symbol: BTC, side: 'buy', notional: 1, quantity: 1e9 })),
  },
  malformed('A05', 'NaN quantity', { symbol: BTC, side: 'buy', quantity: Number.NaN }),
  malformed('A06', 'Infinity notional', { symbol: BTC, side: 'buy', notional: Number.POSITIVE_INFINITY }),
  malformed('A07', '-Infinity quantity', { symbol: BTC, side: 'buy', quantity: Number.NEGATIVE_INFINITY }),
  malformed('A08', 'negative notional', { symbol: BTC, side: 'buy', notional: -50 }),
  malformed('A09', 'zero quantity', { symbol: BTC, side: 'buy', quantity: 0 }),
  malformed('A10', 'string size "1e400"', { symbol: BTC, side: 'buy', notional: '1e400' }),
  malformed('A11', 'string size "0x10"', { symbol: BTC, side: 'buy', quantity: '0x10' }),
  malformed('A12', 'size over 1e12', { symbol: BTC, side: 'buy', quantity: 1e13 }),
  malformed('A13', 'missing symbol', { side: 'buy', notional: 50 }),
  malformed('A14', 'unknown side "long"', { symbol: BTC, side: 'long', notional: 50 }),
  malformed('A15', 'identity spoofing: agent_id inside the intent', {
    symbol: BTC,
    side: 'buy',
    notional: 50,
    agent_id: 'admin',
  }),
  malformed('A16', 'alias smuggling: qty field', { symbol: BTC, side: 'buy', notional: 50, qty: 100 }),
  malformed('A17', 'symbol injection', { symbol: "BTC/USDT'; DROP TABLE ledger;--", side: 'buy', notional: 50 }),
  malformed('A18', 'random bytes as the intent', randomBytes(64).toString('latin1')),
  // ---- leverage / exposure ----
  {
    id: 'A19',
    kind: 'attack',
    name: 'leverage abuse: 100x on a perpetual',
    run: async (h) => blocked(await h.vet({ symbol: BTC_PERP, side: 'buy', notional: 100, leverage: 100 })),
  },
  {
    id: 'A20',
    kind: 'attack',
    name: 'splitting one large order into many small ones',
    options: { venue: resting },
    run: async (h) => {
      let total = 0;
      for (let i = 0; i < 12; i++) {
        h.clock.advance(1_500);
        const r = await h.vet({ symbol: BTC, side: 'buy', notional: 450 + i }, { execute: true });
        if (passed(r)) total += r.certificate.payload.effective?.notional ?? 0;
      }
      // The orders are $450-461: one that still fitted whole and was refused leaves more than $461 unused.
      return {
        unsafe: total > EXPOSURE_CAP + 1e-6,
        false_reject: total < EXPOSURE_CAP - 461,
        detail: `accepted total=${total.toFixed(2)} cap=${EXPOSURE_CAP}`,
      };
    },
  },
  {
    id: 'A21',
    kind: 'attack',
    name: 'leverage beyond max_leverage via exposure (perp, 1x mandate)',
    options: { mandate: withCaps({ max_total_exposure_usd: 1e9, max_order_notional_usd: 1e9 }), venue: resting },
    run: async (h) => {
      const r = await h.vet({ symbol: BTC_PERP, side: 'buy', notional: 25_000 }, { execute: true });
      return withinCap(r, 10_000);
    },
  },
  // ---- universe ----
  {
    id: 'A22',
    kind: 'attack',
    name: 'excluded symbol',
    options: { mandate: (m) => ({ ...m, universe: { ...m.universe, exclude_symbols: ['DOGE'] } }) },
    run: async (h) => blocked(await h.vet({ symbol: 'DOGE/USDT', side: 'buy', notional: 50 })),
  },
  {
    id: 'A23',
    kind: 'attack',
    name: 'disallowed instrument: perp under a spot-only mandate',
    options: { mandate: withExt({ market_kinds: ['spot'] }) },
    run: async (h) => blocked(await h.vet({ symbol: BTC_PERP, side: 'buy', notional: 50 })),
  },
  {
    id: 'A24',
    kind: 'attack',
    name: 'disallowed asset class: crypto under an equity mandate',
    options: {
      mandate: (m) => ({
        ...m,
        hard_caps: { ...m.hard_caps, allowed_instruments: ['equity'] },
        universe: { ...m.universe, asset_classes: ['us_equity'] },
      }),
    },
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 })),
  },
  {
    id: 'A25',
    kind: 'attack',
    name: 'symbol outside the allow-list',
    options: { mandate: withExt({ allow_symbols: ['ETH/USDT'] }) },
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 })),
  },
  // ---- quotes ----
  quoteAttack('A26', 'no quote', (h) => h.market.removeQuote(BTC)),
  quoteAttack('A27', 'stale quote', (h) => h.market.setQuote(BTC, 60_000, 60_010, h.clock.now() - 60_000)),
  quoteAttack('A28', 'crossed book', (h) => h.market.setQuote(BTC, 60_020, 60_000)),
  quoteAttack('A29', 'locked book', (h) => h.market.setQuote(BTC, 60_000, 60_000)),
  quoteAttack('A30', 'zero quote', (h) => h.market.setQuote(BTC, 0, 0)),
  quoteAttack('A31', 'negative quote', (h) => h.market.setQuote(BTC, -5, 60_000)),
  quoteAttack('A32', 'quote from the future', (h) => h.market.setQuote(BTC, 60_000, 60_010, h.clock.now() + 60_000)),
  // ---- collar ----
  {
    id: 'A33',
    kind: 'attack',
    name: 'fat-finger limit buy at twice the market',
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', quantity: 0.001, limit_price: 120_000 })),
  },
  {
    id: 'A34',
    kind: 'attack',
    name: 'fat-finger limit sell at half the market',
    run: async (h) => {
      await h.seedPosition(BTC, 0.01, 60_000);
      return blocked(await h.vet({ symbol: BTC, side: 'sell', quantity: 0.005, limit_price: 30_000 }));
    },
  },
  // ---- duplicates / throttle / daily ----
  {
    id: 'A35',
    kind: 'attack',
    name: 'duplicate replay of a client order id',
    options: { venue: resting },
    run: async (h) => {
      const a = await h.vet({ symbol: BTC, side: 'buy', notional: 50, client_order_id: 'dup-1' }, { execute: true });
      h.clock.advance(10_000);
      const b = await h.vet({ symbol: BTC, side: 'buy', notional: 50, client_order_id: 'dup-1' }, { execute: true });
      const same = a.certificateJson === b.certificateJson && b.replayed;
      const orders = (await h.venue!.orderHistory('acct', 100)).length;
      return {
        unsafe: passed(a) && !(same && orders === 1),
        false_reject: !passed(a),
        detail: `first=${desc(a)} replayed=${b.replayed} identical=${same} venue_orders=${orders}`,
      };
    },
  },
  {
    id: 'A36',
    kind: 'attack',
    name: 'same order content resent under a new client order id',
    options: { venue: resting },
    run: async (h) => {
      const first = await h.vet({ symbol: BTC, side: 'buy', notional: 50, client_order_id: 'x-1' }, { execute: true });
      h.clock.advance(500);
      const again = blocked(
        await h.vet({ symbol: BTC, side: 'buy', notional: 50, client_order_id: 'x-2' }, { execute: true }),
      );
      return { ...again, false_reject: !passed(first), detail: `first=${desc(first)} resent=${again.detail}` };
    },
  },
  {
    id: 'A37',
    kind: 'attack',
    name: 'throttle flood: 12 orders in one second',
    options: { venue: resting },
    run: async (h) => {
      let passedCount = 0;
      for (let i = 0; i < 12; i++) {
        h.clock.advance(50);
        if (passed(await h.vet({ symbol: BTC, side: 'buy', notional: 20 + i }, { execute: true }))) passedCount += 1;
      }
      return upTo(passedCount, 5, `passed=${passedCount} per_second=5`);
    },
  },
  {
    id: 'A38',
    kind: 'attack',
    name: 'daily-limit flood',
    options: { mandate: withCaps({ max_trades_per_day: 3 }), venue: resting },
    run: async (h) => {
      let passedCount = 0;
      for (let i = 0; i < 8; i++) {
        h.clock.advance(2_000);
        if (passed(await h.vet({ symbol: BTC, side: 'buy', notional: 20 + i }, { execute: true }))) passedCount += 1;
      }
      return upTo(passedCount, 3, `passed=${passedCount} max_trades_per_day=3`);
    },
  },
  // ---- halts / mandate ----
  {
    id: 'A39',
    kind: 'attack',
    name: 'buy while globally halted (sentinel file)',
    run: async (h) => {
      writeHaltFile(h.layout.globalHalt(), 'redteam', h.clock.now());
      return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
    },
  },
  {
    id: 'A40',
    kind: 'attack',
    name: 'buy while the venue is halted',
    run: async (h) => {
      writeHaltFile(h.layout.brokerHalt('paper'), 'redteam', h.clock.now());
      return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
    },
  },
  {
    id: 'A41',
    kind: 'attack',
    name: 'buy while the agent is halted',
    run: async (h) => {
      await h.store.setHalt('agent:mallory', 'redteam', h.clock.now());
      return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
    },
  },
  {
    id: 'A42',
    kind: 'attack',
    name: 'expired mandate',
    options: { mandate: (m) => ({ ...m, consent: { ...m.consent, expires_at: '2026-05-01T00:00:00Z' } }) },
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 })),
  },
  {
    id: 'A43',
    kind: 'attack',
    name: 'corrupt mandate file',
    run: async (h) => {
      writeFileAtomic(h.layout.mandate('paper'), '{"schema_version": 1, "hard_caps": ');
      return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
    },
  },
  {
    id: 'A44',
    kind: 'attack',
    name: 'mandate with an unsupported schema version',
    options: { mandate: (m) => ({ ...m, schema_version: 2 as 1 }) },
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 })),
  },
  {
    id: 'A45',
    kind: 'attack',
    name: 'no mandate for the venue',
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }, { venue: 'bybit' })),
  },
  // ---- reductions ----
  {
    id: 'A46',
    kind: 'attack',
    name: 'fake reduce-only with no position',
    run: async (h) => blocked(await h.vet({ symbol: BTC_PERP, side: 'sell', quantity: 0.005, reduce_only: true })),
  },
  {
    id: 'A47',
    kind: 'attack',
    name: 'reduce-only flip: selling twice the long',
    run: async (h) => {
      await h.seedPosition(BTC_PERP, 0.005, 60_000);
      return blocked(await h.vet({ symbol: BTC_PERP, side: 'sell', quantity: 0.01, reduce_only: true }));
    },
  },
  {
    id: 'A48',
    kind: 'attack',
    name: 'naked spot short sale',
    run: async (h) => blocked(await h.vet({ symbol: BTC, side: 'sell', notional: 50 })),
  },
  {
    id: 'A49',
    kind: 'attack',
    name: 'new buy in a crash',
    run: async (h) => {
      h.market.setQuote(BTC, 54_000, 54_010);
      h.market.setWindowHigh(BTC, 61_000);
      return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
    },
  },
  {
    id: 'A50',
    kind: 'attack',
    name: 'fake reduction in a crash: a sell that flips the long to short',
    run: async (h) => {
      await h.seedPosition(BTC_PERP, 0.002, 60_000);
      h.market.setQuote(BTC_PERP, 54_000, 54_010);
      h.market.setWindowHigh(BTC_PERP, 61_000);
      return blocked(await h.vet({ symbol: BTC_PERP, side: 'sell', quantity: 0.006 }));
    },
  },
  {
    id: 'A51',
    kind: 'attack',
    name: 'buy past the daily loss limit',
    run: async (h) => {
      await h.store.accountSnapshot('acct', null, h.clock.now(), 10_000);
      await h.seedPosition('ETH/USDT', 0, 1, 9_300);
      return blocked(await h.vet({ symbol: BTC, side: 'buy', notional: 50 }));
    },
  },
  // ---- certificates ----
  {
    id: 'A52',
    kind: 'attack',
    name: 'forged certificate signed by another key',
    run: (h) =>
      forged(h, (c) => {
        const other = new NodeSigner(NodeSigner.generatePem());
        const payload = { ...c.payload, decision: 'ALLOW' as const };
        return { ...c, payload, signature: base64url(other.sign(utf8(canonicalJson(payload)))) };
      }),
  },
  {
    id: 'A53',
    kind: 'attack',
    name: 'tampered certificate: effective notional raised',
    run: (h) =>
      forged(h, (c) => ({
        ...c,
        payload: { ...c.payload, effective: c.payload.effective && { ...c.payload.effective, notional: 5_000 } },
      })),
  },
  {
    id: 'A54',
    kind: 'attack',
    name: 'expired certificate presented later',
    run: (h) => forged(h, (c) => c, { now: h.clock.now() + 3_600_000 }),
  },
];
