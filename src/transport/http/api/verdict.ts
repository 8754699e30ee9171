import { verdictSummary } from '../../../core/cert/certificate.js';
import type { VetResult } from '../../../services/firewall-service.js';

/**
 * A verdict on the wire. Everything but `replayed`, `order`, `order_state` and `order_error` is read from the signed
 * payload (`dry_run` too), so a client can check the summary against the certificate (the effective sizes are
 * the payload's, written on the venue's grid without binary noise). A denial is a verdict too: status 200, `decision`
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
    ...verdictSummary(p),
    verdict_id: p.id,
    gates: p.gates,
    approval_id: r.approvalId,
    replayed: r.replayed,
    dry_run: r.dryRun,
    order: r.order,
    order_state: r.orderState,
    order_error: r.orderError,
  };
}
