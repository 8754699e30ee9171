import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from './context.js';

/** The rules of the house, written for a model, with the live limits filled in. */
export function houseRules(ctx: McpContext): string {
  const m = ctx.mandate();
  const caps = m.ok
    ? `- Per order: at most $${m.mandate.hard_caps.max_order_notional_usd}. Total exposure: at most $${m.mandate.hard_caps.max_total_exposure_usd}. Leverage: at most ${m.mandate.hard_caps.max_leverage}x. Trades per UTC day: ${m.mandate.hard_caps.max_trades_per_day}.
- Limit prices more than ${m.mandate.arbiter.collar_pct}% from the market are refused. At most ${m.mandate.arbiter.throttle.per_second} orders a second.${m.mandate.arbiter.approval_threshold_usd !== null ? `\n- Orders above $${m.mandate.arbiter.approval_threshold_usd} wait for a human (PENDING_APPROVAL).` : ''}`
    : `- There is no valid mandate right now (${m.message}): every order will be refused until a human fixes it.`;
  return `You trade through Arbiter, a pre-trade firewall. Every order you send is vetted and gets a signed verdict.

Rules of the house:
${caps}
- Decisions: ALLOW (sent as asked), ALLOW_CAPPED (sent, but smaller: read effective_quantity), REJECT (not sent: read the reason codes and fix the order), PAUSE_FOR_REAUTH (a limit only a human can lift), PENDING_APPROVAL (a human must approve; poll get_approval_status; you cannot approve it yourself).
- A refusal is a normal result with isError=true and reason codes such as NOTIONAL_EXCEEDS_ORDER_CAP or QUOTE_STALE. Do not retry the same order unchanged.
- Use vet_trade to check an order without sending it, and get_limits_status to see your headroom.
- A verdict names its signed certificate (verdict_id, certificate_sha256, expires_at); read arbiter://certificates/{verdict_id}, or pass include_certificate: true, only when you need the certificate itself.
- Always set a client_order_id; if a call times out, send the same id again: you will get the original result, never a second order.
- reduce_only is checked against your position. During a halt or a crash (CRASH_BREAKER) only orders that reduce a position pass.
- Your identity comes from your connection; never put an agent id in an order.`;
}

export function registerPrompts(server: McpServer, ctx: McpContext): void {
  server.registerPrompt(
    'house_rules',
    {
      title: 'Rules of the house',
      description: 'How to trade through Arbiter: limits, decisions, idempotency, approvals.',
    },
    async () => ({ messages: [{ role: 'user', content: { type: 'text', text: houseRules(ctx) } }] }),
  );
}
