/**
 * `import … from 'arbiter'` — the public surface of the package:
 *
 * - the pure firewall: `evaluate(intent, context)` with its types, the closed set of reason codes, intent parsing;
 * - mandates: the Vibe-Trading mandate schema (`Mandate`), `parseMandate`, `defaultMandate`;
 * - certificates: their types and offline verification (`verifyCertificate` from the client);
 * - the arena's agent contract (`Agent`, `Observation`, `AgentIntent`, `DecisionNote`) and `rebalance`;
 * - the ports you can implement (`Store`, `Venue`, `MarketData`, `Signer`, `Clock`, `IdGen`) and
 *   `createFirewall({ store, venue, market, signer, mandate })`, the firewall service over your adapters, with
 *   ready adapters (`openSqliteStore`, `createPaperVenue`, `createSyntheticMarket`, `generateSigner`);
 * - the HTTP client of a running `arbiter serve` (`ArbiterClient`), also at `arbiter/client`.
 */
export {
  type CreateFirewallOptions,
  createFirewall,
  createPaperVenue,
  createSyntheticMarket,
  type EmbeddedFirewall,
  generateSigner,
  openSqliteStore,
  type Principal,
  signerFromPem,
} from './app/embed.js';
export {
  ArbiterClient,
  ArbiterHttpError,
  type IssuerKey,
  type OfflineVerifyOptions,
  type OfflineVerifyResult,
  pinIssuer,
  type Verdict,
  verifyCertificate,
} from './client/index.js';
export type {
  Agent,
  AgentIntent,
  DecisionNote,
  Observation,
} from './core/arena/index.js';
export { rebalance } from './core/arena/index.js';
export type { Certificate, CertificatePayload } from './core/cert/certificate.js';
export { evaluate } from './core/firewall/engine.js';
export { type IntentParse, MAX_SIZE, parseIntent } from './core/firewall/intent.js';
export { isReasonCode, REASON_CODES, type Reason, type ReasonCode } from './core/firewall/reasons.js';
export {
  DECISIONS,
  type Decision,
  type Effective,
  type Evaluation,
  type EvaluationContext,
  type GateOutcome,
  type NormalizedIntent,
} from './core/firewall/types.js';
export { defaultMandate, parseMandate, parseMandateText } from './core/mandate/schema.js';
export type { ArbiterExtension, HardCaps, Mandate, MandateLoad } from './core/mandate/types.js';
export type { Candle, Instrument, Quote } from './core/market/types.js';
export type { Clock, IdGen } from './ports/clock.js';
export type { MarketData, Timeframe } from './ports/market-data.js';
export type { Signer } from './ports/signer.js';
export type { Store } from './ports/store.js';
export { type Venue, VenueError, type VenueOrder, type VenueOrderRequest } from './ports/venue.js';
export type { Session, VetResult } from './services/firewall-service.js';
