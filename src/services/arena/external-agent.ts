import type { Agent, AgentIntent, Observation } from '../../core/arena/types.js';

/**
 * An agent that lives outside the process (an MCP client). Its decision for a bar is whatever it submitted
 * before the round closed; nothing submitted is no trade.
 */
export class ExternalAgent implements Agent {
  /** undefined: nothing submitted this bar; null: an explicit pass. */
  pending: unknown;
  submittedBar = -1;
  missed = 0;

  constructor(readonly id: string) {}

  decide(obs: Observation): AgentIntent | null {
    const intent = this.submittedBar === obs.bar ? this.pending : undefined;
    this.pending = undefined;
    if (intent === undefined) {
      this.missed += 1;
      return null;
    }
    // Passed to the firewall exactly as received: a malformed intent is the firewall's to reject.
    return intent as AgentIntent | null;
  }
}
