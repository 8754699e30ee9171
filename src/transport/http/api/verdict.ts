import type { VetResult } from '../../../services/firewall-service.js';

/**
 * A verdict on the wire. Everything but `replayed`, `order` and `order_error` is read from the signed payload, so
 * a client can check the summary against the certificate. A denial is a verdict too: status 200, `decision`
 * REJECT, the reason codes and messages, and the certificate that proves it.
 */
export function verdictBody(r: VetResult): Record<string, unknown> {
  return { ...summary(r), certificate: r.certificate };
}

/**
 * The same as `verdictBody`, as JSON text: the certificate goes out as the exact bytes the service stored and
 * signed over (no second serialisation of the largest part of the answer).
 */
export function verdictJson(r: VetResult): string {
  return `${JSON.stringify(summary(r)).slice(0, -1)},"certificate":${r.certificateJson}}`;
}

function summary(r: VetResult): Record<string, unknown> {
  const p = r.certificate.payload;
  return {
    decision: p.decision,
    verdict_id: p.id,
    effective_notional: p.effective?.notional ?? 0,
    effective_quantity: p.effective?.quantity ?? 0,
    reasons: p.reasons.map((x) => x.code),
    messages: p.reasons.map((x) => x.message),
    gates: p.gates,
    approval_id: r.approvalId,
    replayed: r.replayed,
    order: r.order,
    order_error: r.orderError,
  };
}
