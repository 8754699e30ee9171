import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { verifyCertificate } from '../../core/cert/verify.js';
import type { SessionCertificates } from './certificates.js';
import type { McpContext } from './context.js';
import { denied, failure, ok, verdictResult } from './results.js';
import { anyObject, includeCertificateShape, orderShape, orderSymbol, strictInput, verdictOutput } from './schemas.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
type Wrap = <A>(fn: (args: A) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

export function registerFirewallTools(
  server: McpServer,
  ctx: McpContext,
  wrap: Wrap,
  certs: SessionCertificates,
): void {
  server.registerTool(
    'vet_trade',
    {
      title: 'Vet a trade (never trades)',
      description:
        'A dry run: runs the firewall on an order intent exactly as place_order would and returns the verdict (ALLOW, ALLOW_CAPPED, REJECT, PAUSE_FOR_REAUTH or PENDING_APPROVAL) with the effective size and reason codes, and its signed certificate by id, sha256 and expiry: the certificate itself (every gate, the bound context; it says dry_run) is the resource arbiter://certificates/{verdict_id} for this session, or inline with include_certificate: true. Nothing is reserved, counted, throttled, bound or sent, so place_order with the same intent afterwards is judged as if the vet had not happened.',
      inputSchema: strictInput({ ...orderShape, ...includeCertificateShape }),
      outputSchema: verdictOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    wrap(async ({ include_certificate, market_id, outcome, symbol, ...rest }) => {
      const s = orderSymbol({ symbol, market_id, outcome });
      if ('error' in s) return failure('INVALID_ARGUMENT', s.error);
      return verdictResult(
        await ctx.firewall.vet({ symbol: s.symbol, ...rest }, ctx.session, {
          execute: false,
          remoteTool: 'mcp.vet_trade',
        }),
        certs,
        { includeCertificate: include_certificate === true },
      );
    }),
  );

  server.registerTool(
    'verify_certificate',
    {
      title: 'Verify a certificate',
      description:
        "Checks a verdict certificate's Ed25519 signature against this issuer's pinned key, refuses impossible times (issued in the future, issued after expiry, a lifetime longer than its mandate allows), checks its expiry, and re-derives the decision from the bound context.",
      inputSchema: strictInput({ certificate: anyObject, allow_expired: z.boolean().default(false) }),
      outputSchema: z.looseObject({ ok: z.boolean(), status: z.string(), message: z.string() }),
      annotations: READ,
    },
    wrap(async (a: { certificate: Record<string, unknown>; allow_expired: boolean }) => {
      const r = await verifyCertificate(a.certificate, ctx.firewall.issuer, ctx.ed25519Verify, {
        now: ctx.now(),
        allowExpired: a.allow_expired,
        rederive: true,
      });
      const data = { ...r } as Record<string, unknown>;
      return r.ok ? ok(data) : denied(data);
    }),
  );

  server.registerTool(
    'get_issuer_key',
    {
      title: 'Issuer key',
      description:
        'The Ed25519 public key (base64, raw 32 bytes) and key id that sign every verdict; pin it to verify offline.',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ alg: z.string(), key_id: z.string(), public_key: z.string() }),
      annotations: READ,
    },
    wrap(async () =>
      ok({
        alg: 'Ed25519',
        key_id: ctx.firewall.issuer.keyId,
        public_key: Buffer.from(ctx.firewall.issuer.publicKey).toString('base64'),
      }),
    ),
  );

  server.registerTool(
    'get_mandate',
    {
      title: 'Mandate',
      description:
        'The mandate the firewall enforces for this venue (hard caps, universe, consent, Arbiter controls), or why it refuses everything.',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ ok: z.boolean() }),
      annotations: READ,
    },
    wrap(async () => {
      const m = ctx.mandate();
      return m.ok ? ok({ ok: true, mandate: m.mandate }) : denied({ ok: false, code: m.code, message: m.message });
    }),
  );

  server.registerTool(
    'get_limits_status',
    {
      title: 'Limits headroom',
      description:
        'Headroom left under every limit: per order, exposure, leverage, daily trade count, throttle, daily loss and drawdown, halts.',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ mandate_ok: z.boolean() }),
      annotations: READ,
    },
    wrap(async () => ok({ ...(await ctx.limits.status(ctx.session)) })),
  );

  server.registerTool(
    'get_approval_status',
    {
      title: 'Approval status',
      description:
        'Status of a PENDING_APPROVAL order (pending, approved, rejected, expired, executed, failed). Only a human can approve, out of band.',
      inputSchema: strictInput({ approval_id: z.string().min(1).max(64) }),
      outputSchema: z.looseObject({ approval_id: z.string(), status: z.string() }),
      annotations: READ,
    },
    wrap(async (a: { approval_id: string }) => {
      await ctx.approvals.sweep();
      const r = await ctx.approvals.get(a.approval_id);
      // An agent sees only its own approvals.
      if (!r || r.agentId !== ctx.session.agentId)
        return failure('APPROVAL_NOT_FOUND', `APPROVAL_NOT_FOUND: id=${a.approval_id}`);
      return ok({
        approval_id: r.approvalId,
        status: r.status,
        notional: r.notional,
        created_at: r.createdAt,
        expires_at: r.expiresAt,
        decided_at: r.decidedAt,
        result_verdict_id: r.resultVerdictId,
      });
    }),
  );
}
