import { immutable } from '../cert/canonical.js';
import { checkApproval } from './gates/approval.js';
import { checkCollar } from './gates/collar.js';
import { BREAKER_RECOVERY_FRACTION, checkCrashBreaker, dropPct } from './gates/crash-breaker.js';
import { checkDailyCount } from './gates/daily-count.js';
import { checkDuplicate } from './gates/duplicate.js';
import { checkExposure } from './gates/exposure.js';
import { checkHalt } from './gates/halt.js';
import { checkIntent } from './gates/intent.js';
import { checkLossLimits } from './gates/loss-limits.js';
import { checkMandate } from './gates/mandate.js';
import { checkOrderCap } from './gates/order-cap.js';
import {
  checkPredictionCostBasis,
  checkPredictionPrice,
  checkPredictionStatus,
  checkPredictionUniverse,
} from './gates/prediction.js';
import { checkMinimum, checkReferencePrice } from './gates/reference-price.js';
import { checkCorrelation, checkKellyCap, checkPortfolioVar, checkPositionShare } from './gates/risk-limits.js';
import { checkSession } from './gates/session.js';
import { quantityWithin, requestedQuantity, sizingPrice } from './gates/sizing.js';
import { checkThrottle } from './gates/throttle.js';
import { checkUniverse } from './gates/universe.js';
import { type GateResult, isFlattening, isReduction, need, type Working } from './gates/working.js';
import { parseIntent } from './intent.js';
import { type Reason, reason } from './reasons.js';
import type { Decision, Effective, Evaluation, EvaluationContext, GateName, GateOutcome } from './types.js';

type Step = (w: Working) => GateResult;

/** Fills in what later gates rely on once a gate has passed. Deterministic; never decides anything. */
const establish = {
  mandate(w: Working): null {
    if (w.ctx.mandate.ok) w.mandate = w.ctx.mandate.mandate;
    return null;
  },
  intent(w: Working): null {
    // checkIntent has parsed it already (parsing is pure: the same raw intent gives the same result).
    if (w.intent === undefined) {
      const parsed = parseIntent(w.raw);
      if (parsed.ok) w.intent = parsed.intent;
    }
    return null;
  },
  sizing(w: Working): null {
    const intent = need(w.intent, 'the intent');
    const q = need(w.ctx.quote ?? undefined, 'the quote');
    w.instrument = need(w.ctx.instrument ?? undefined, 'the instrument');
    w.refPrice = intent.side === 'buy' ? q.ask : q.bid;
    w.mid = (q.bid + q.ask) / 2;
    w.sizingPrice = sizingPrice(intent, w.refPrice);
    w.requestedQty = requestedQuantity(intent, w.sizingPrice);
    w.requestedNotional = w.requestedQty * w.sizingPrice;
    w.notional = w.requestedNotional;
    w.reduces = isReduction(intent, w.requestedQty, w.ctx);
    w.flattens = w.reduces && isFlattening(intent, w.requestedQty, w.ctx);
    return null;
  },
};

/** The gates in their fixed order. Each entry is one gate; its steps run in sequence until one objects. */
export const GATE_ORDER: readonly { readonly gate: GateName; readonly steps: readonly Step[] }[] = [
  { gate: 'mandate', steps: [checkMandate, establish.mandate] },
  { gate: 'halt', steps: [checkHalt] },
  { gate: 'intent', steps: [checkIntent, establish.intent] },
  // A closed market is named first: its quote is naturally stale or missing then. An instrument without a calendar
  // trades always, so this step passes for it. Outcome tokens of prediction markets add steps (gates/prediction.ts)
  // that pass at once for any other instrument.
  {
    gate: 'reference_price',
    steps: [
      checkSession,
      checkPredictionStatus,
      checkReferencePrice,
      establish.sizing,
      checkPredictionPrice,
      checkMinimum,
    ],
  },
  { gate: 'universe', steps: [checkUniverse, checkPredictionUniverse] },
  { gate: 'collar', steps: [checkCollar] },
  { gate: 'duplicate', steps: [checkDuplicate] },
  { gate: 'throttle', steps: [checkThrottle] },
  { gate: 'order_cap', steps: [checkOrderCap] },
  // The mandate's portfolio-risk limits (arbiter.risk) are further steps of gate 10: caps first, then checks
  // on the order as capped. Off (a plain pass) when the mandate sets none.
  {
    gate: 'exposure',
    steps: [
      checkExposure,
      checkPredictionCostBasis,
      checkPositionShare,
      checkKellyCap,
      checkCorrelation,
      checkPortfolioVar,
    ],
  },
  { gate: 'daily_count', steps: [checkDailyCount] },
  { gate: 'loss_limits', steps: [checkLossLimits] },
  { gate: 'crash_breaker', steps: [checkCrashBreaker] },
  { gate: 'approval', steps: [checkApproval] },
];

/** The outcomes that carry no reason, one immutable object each: their canonical text is computed once. */
const PLAIN: Readonly<Record<'pass' | 'skipped', Readonly<Record<GateName, GateOutcome>>>> = {
  pass: Object.fromEntries(
    GATE_ORDER.map(({ gate }) => [gate, immutable({ gate, status: 'pass' as const })]),
  ) as Record<GateName, GateOutcome>,
  skipped: Object.fromEntries(
    GATE_ORDER.map(({ gate }) => [gate, immutable({ gate, status: 'skipped' as const })]),
  ) as Record<GateName, GateOutcome>,
};

function outcome(gate: GateName, r: Reason, status: GateOutcome['status']): GateOutcome {
  return { gate, status, code: r.code, message: r.message };
}

function breakerState(w: Working): { breaker: Working['breaker']; regime: Evaluation['regime'] } {
  if (w.mid === undefined || w.mandate === undefined) {
    return { breaker: 'none', regime: w.ctx.market.breaker_tripped ? 'crash' : 'normal' };
  }
  const limit = w.mandate.arbiter.crash_breaker.drop_pct;
  const drop = dropPct(w);
  const tripped = w.ctx.market.breaker_tripped;
  const crashing = drop > limit;
  const recovered = tripped && !crashing && drop <= limit * BREAKER_RECOVERY_FRACTION;
  const breaker = crashing && !tripped ? 'trip' : recovered ? 'clear' : 'none';
  return { breaker, regime: crashing || (tripped && !recovered) ? 'crash' : 'normal' };
}

function requested(w: Working): Effective | null {
  if (w.requestedQty === undefined || w.sizingPrice === undefined || w.requestedNotional === undefined) return null;
  return { notional: w.requestedNotional, quantity: w.requestedQty, price: w.sizingPrice };
}

function refused(w: Working, decision: Decision, reasons: Reason[], gates: GateOutcome[]): Evaluation {
  const b = breakerState(w);
  return {
    decision,
    reasons,
    gates,
    intent: w.intent ?? null,
    requested: requested(w),
    effective: null,
    reduces: w.reduces,
    breaker_tripped: b.breaker === 'trip',
    breaker_cleared: b.breaker === 'clear',
    regime: b.regime,
  };
}

function run(raw: unknown, ctx: EvaluationContext): Evaluation {
  const w: Working = { ctx, raw, reduces: false, flattens: false, breaker: 'none' };
  const gates: GateOutcome[] = [];
  const capReasons: Reason[] = [];
  for (let i = 0; i < GATE_ORDER.length; i++) {
    const { gate, steps } = GATE_ORDER[i]!;
    let result: GateResult = null;
    let capped: Reason | null = null;
    // A cap shrinks the order and the gate's later steps judge it as capped; anything else ends the gate.
    for (const step of steps) {
      result = step(w);
      if (result?.status !== 'capped') {
        if (result !== null) break;
        continue;
      }
      w.notional = Math.min(need(w.notional, 'the notional'), result.notional);
      capReasons.push(result.reason);
      capped = result.reason;
      result = null;
    }
    if (result === null) {
      gates.push(capped ? outcome(gate, capped, 'capped') : PLAIN.pass[gate]);
    } else if (result.status === 'skipped') {
      gates.push(PLAIN.skipped[gate]);
    } else {
      gates.push(outcome(gate, result.reason, 'fail'));
      for (const rest of GATE_ORDER.slice(i + 1)) gates.push(PLAIN.skipped[rest.gate]);
      if (result.decision !== 'PENDING_APPROVAL') return refused(w, result.decision, [result.reason], gates);
      return finish(w, 'PENDING_APPROVAL', [...capReasons, result.reason], gates);
    }
  }
  return finish(w, capReasons.length ? 'ALLOW_CAPPED' : 'ALLOW', capReasons, gates);
}

/**
 * Snaps the allowed notional onto the venue's step grid (down only) and re-checks the venue minimum. An order that
 * closes the whole position, which no cap has shrunk, keeps its exact quantity: rounding it would leave dust.
 */
function finish(w: Working, decision: Decision, reasons: Reason[], gates: GateOutcome[]): Evaluation {
  const inst = need(w.instrument, 'the instrument');
  const price = need(w.sizingPrice, 'the sizing price');
  const allowed = need(w.notional, 'the notional');
  const requestedQty = need(w.requestedQty, 'the quantity');
  const whole = w.flattens && allowed >= need(w.requestedNotional, 'the notional');
  const qty = whole ? requestedQty : quantityWithin(allowed, price, inst.stepSize, requestedQty);
  const notional = qty * price;
  if (!whole && (qty < inst.minQty || notional < inst.minNotional || !(qty > 0))) {
    const why = reason('ORDER_BELOW_MINIMUM', { quantity: qty, min_qty: inst.minQty, min_notional: inst.minNotional });
    // A cap that leaves less than the venue minimum is a breach for the human, not a plain rejection.
    const d: Decision = reasons.length > 0 && decision !== 'PENDING_APPROVAL' ? 'PAUSE_FOR_REAUTH' : 'REJECT';
    return refused(w, d, [...reasons, why], gates);
  }
  const b = breakerState(w);
  return {
    decision,
    reasons,
    gates,
    intent: w.intent ?? null,
    requested: requested(w),
    effective: { notional, quantity: qty, price },
    reduces: w.reduces,
    breaker_tripped: b.breaker === 'trip',
    breaker_cleared: b.breaker === 'clear',
    regime: b.regime,
  };
}

/**
 * The firewall. Pure: the same intent and context always give the same evaluation. Gates run in GATE_ORDER; the
 * first failure decides; caps shrink the order and evaluation goes on. Anything thrown is a REJECT INTERNAL_ERROR.
 */
export function evaluate(raw: unknown, ctx: EvaluationContext): Evaluation {
  try {
    return run(raw, ctx);
  } catch (e) {
    const message = e instanceof Error ? e.message : 'non-error thrown';
    return {
      decision: 'REJECT',
      reasons: [reason('INTERNAL_ERROR', { error: message.slice(0, 200) })],
      gates: [],
      intent: null,
      requested: null,
      effective: null,
      reduces: false,
      breaker_tripped: false,
      breaker_cleared: false,
      regime: 'normal',
    };
  }
}
