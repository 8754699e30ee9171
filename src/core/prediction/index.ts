export { type BookModel, depthWithin, modelBooks, type OutcomeBook } from './book.js';
export {
  PredictionExchange,
  type PredictionExchangeOptions,
  type PredictionFill,
  type PredictionHolding,
  type PredictionOrder,
  PredictionOrderError,
  type PredictionOrderErrorCode,
} from './exchange.js';
export {
  type SyntheticPredictionMarket,
  type SyntheticPredictionOptions,
  syntheticPredictionMarkets,
} from './generator.js';
export {
  OUTCOMES,
  type Outcome,
  otherOutcome,
  outcomeSymbol,
  type PredictionMarket,
  type PredictionStatus,
  parseOutcomeSymbol,
  payout,
  statusAt,
} from './types.js';
