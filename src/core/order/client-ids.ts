/**
 * Client order ids. An agent's client order id is its own: the store binds it per agent, and the venue — where
 * one account's ids share one namespace — is sent an id derived from the agent and the binding, so two agents
 * using the same id never collide there and no agent can name another's order. Derived ids are 32 letters and
 * digits, which every supported venue accepts (OKX: 1–32 alphanumerics; Binance and Bybit: up to 36).
 */

/** The binding key of an approved order's execution: `#` cannot appear in an agent's client order id. */
export function approvalBinding(approvalId: string): string {
  return `#approval:${approvalId}`;
}

/**
 * The id the venue is sent for an order: derived from the agent and its binding key when there is one, else the
 * verdict id (unique by construction).
 */
export function venueClientOrderId(
  agentId: string,
  binding: string | null,
  verdictId: string,
  sha256Hex: (s: string) => string,
): string {
  if (binding === null) return verdictId;
  return `c${sha256Hex(`arbiter.client-order-id\n${agentId}\n${binding}`).slice(0, 31)}`;
}
