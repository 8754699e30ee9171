export { builtInPredictionAgents, favouriteAgent, informedAgent, momentumAgent } from './agents.js';
export {
  type PredictionAgent,
  type PredictionAgentResult,
  type PredictionArenaOptions,
  type PredictionArenaResult,
  type PredictionIntent,
  type PredictionObservation,
  predictionArenaMandate,
  runPredictionArena,
} from './arena.js';
export {
  COHORT_MS,
  type ListedMarketView,
  listedPredictionMarkets,
  listedPredictionViews,
  marketView,
  type PredictionMarketView,
  syntheticMarketById,
} from './board.js';
export { type BookModel, depthWithin, modelBooks, type OutcomeBook } from './book.js';
export { type Calibration, type CalibrationBin, calibration, type Forecast, LOG_SCORE_EPSILON } from './calibration.js';
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
  type OutcomeMarketAt,
  type OutcomeOrderRequest,
  type OutcomeOrderResult,
  type OutcomePositionView,
  type OutcomeSettlement,
  outcomePositions,
  placeOutcomeOrder,
  settleOutcomes,
} from './paper-outcomes.js';
export {
  OUTCOMES,
  type Outcome,
  otherOutcome,
  outcomeInstrument,
  outcomeSymbol,
  type PredictionMarket,
  type PredictionStatus,
  parseOutcomeSymbol,
  payout,
  statusAt,
} from './types.js';
