import type { ModelDecision } from './decision.js';

/** One spoken turn of a multi-model decision: who said it, on which model, and what. */
export interface Turn {
  readonly role: string;
  readonly model: string;
  readonly text: string;
}

/** The transcript as every later role reads it (and as the decision's trace keeps it). */
export function transcriptText(turns: readonly Turn[]): string {
  return turns.map((t) => `[${t.role} · ${t.model}]\n${t.text.trim()}`).join('\n\n');
}

const ARENA =
  'You take part in a trading decision for an agent in an arena. Orders go through a pre-trade risk firewall; ' +
  'the agent trades the two instruments shown. You see closed bars only.';

export const DEBATE_SYSTEM = {
  bull: `${ARENA}\nYou are the BULL researcher: make the strongest evidence-based case for adding long exposure now (or for keeping it), answering the bear's points if any. At most 120 words, plain text.`,
  bear: `${ARENA}\nYou are the BEAR researcher: make the strongest evidence-based case against long exposure now (for shorting, reducing or staying out), answering the bull's points if any. At most 120 words, plain text.`,
  risk: `${ARENA}\nYou are the RISK MANAGER: weigh the debate against the account (equity, positions, margin) and say what size and leverage, if any, is prudent and where the stop belongs. At most 100 words, plain text.`,
} as const;

export const JUDGE_PREAMBLE =
  'You are the TRADER and final judge. Read the market, the account and the discussion below, then decide.';

export function personaSystem(name: string, brief: string): string {
  return `${ARENA}\nYou are ${name}: ${brief}\nPropose a decision in the agent's answer format.`;
}

/** The user message of a role: the observation, then the discussion so far, then what is asked of it. */
export function roleUser(observation: string, turns: readonly Turn[], ask: string): string {
  const parts = [observation];
  if (turns.length) parts.push(`DISCUSSION SO FAR:\n${transcriptText(turns)}`);
  parts.push(ask);
  return parts.join('\n\n');
}

/** A persona's proposal that parsed (invalid ones do not vote). */
export interface Proposal {
  readonly persona: string;
  readonly decision: ModelDecision;
}

export type VoteResult =
  | { readonly kind: 'decided'; readonly decision: ModelDecision; readonly votes: number; readonly of: number }
  | { readonly kind: 'no-majority'; readonly reason: string };

const ballot = (d: ModelDecision) => (d.action === 'hold' ? 'hold' : `${d.action} ${d.symbol}`);

/**
 * A plurality vote over the proposals' (action, symbol): the option with the most votes wins if no other has as
 * many, and its first proposer's decision (size, leverage, exits) is taken as proposed. A tie, or no valid
 * proposal, is no decision (the agent holds).
 */
export function vote(proposals: readonly Proposal[]): VoteResult {
  if (proposals.length === 0) return { kind: 'no-majority', reason: 'no valid proposal' };
  const counts = new Map<string, Proposal[]>();
  for (const p of proposals) {
    const k = ballot(p.decision);
    counts.set(k, [...(counts.get(k) ?? []), p]);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1].length - a[1].length);
  const [best, second] = ranked;
  if (second && second[1].length === best![1].length)
    return {
      kind: 'no-majority',
      reason: `tie: ${ranked
        .filter((r) => r[1].length === best![1].length)
        .map((r) => `${r[0]} (${r[1].length})`)
        .join(' vs ')}`,
    };
  const winners = best![1];
  const first = winners[0]!.decision;
  const decision: ModelDecision = {
    ...first,
    reason: `vote ${winners.length}/${proposals.length} for ${best![0]}: ${first.reason}`.slice(0, 500),
  };
  return { kind: 'decided', decision, votes: winners.length, of: proposals.length };
}
