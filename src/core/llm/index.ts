export {
  addSpend,
  type BudgetLimits,
  budgetSpent,
  costOf,
  type DaySpend,
  DEFAULT_PRICES,
  dayOf,
  type ModelPrice,
  NO_SPEND,
  type Spend,
  type Usage,
} from './cost.js';
export {
  type DecisionBounds,
  decisionIntent,
  extractJson,
  MAX_MODEL_LEVERAGE,
  type ModelDecision,
  modelDecision,
  type Parsed,
  parseDecision,
} from './decision.js';
export { ModelError, type ModelFailureKind, RETRIED } from './errors.js';
export {
  DEBATE_SYSTEM,
  JUDGE_PREAMBLE,
  type Proposal,
  personaSystem,
  roleUser,
  type Turn,
  transcriptText,
  type VoteResult,
  vote,
} from './orchestra.js';
export { decisionPrompt, type ExitPlan, fmt, type Prompt } from './prompt.js';
