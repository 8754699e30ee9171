export { QLearningAgent, RandomAgent, RegimeSwitchAgent } from './agents/adaptive.js';
export { FundingCarryAgent } from './agents/carry.js';
export { BUILTIN_FAMILIES, builtinSpecs, selectSpecs } from './agents/registry.js';
export { BollingerAgent, RsiMacdAgent } from './agents/reversion.js';
export { SignalAgent } from './agents/signal-agent.js';
export { FEE_BUFFER, rebalance } from './agents/sizing.js';
export { BreakoutAgent, BuyAndHoldAgent, MomentumAgent } from './agents/trend.js';
export { ArenaError, type ArenaErrorCode, assertAgentId } from './errors.js';
export {
  accountView,
  type BarSeries,
  type MarketFrame,
  type MarketViews,
  marketViews,
  observationFor,
  ReplayCursor,
} from './observation.js';
export { type BookedFill, Portfolio, type SavedBook } from './portfolio.js';
export { hashUniform } from './rng.js';
export { blendReturns, trustWeights } from './score/allocation.js';
export { type AllocationComparison, compareAllocation } from './score/compare.js';
export { type Deflation, deflateAll } from './score/deflate.js';
export {
  type Leaderboard,
  type LeaderboardOptions,
  type LeaderboardRow,
  LUCK_RULE,
  leaderboard,
  SCORE_RULE,
} from './score/leaderboard.js';
export {
  type MetricOptions,
  type ModelSpend,
  type TrialInput,
  type TrialMetrics,
  trialMetrics,
} from './score/metrics.js';
export type * from './types.js';
export { SLOTS } from './types.js';
