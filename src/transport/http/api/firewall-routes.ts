import { z } from 'zod';
import { base64url, certificateAgent } from '../../../core/cert/certificate.js';
import { verifyCertificate } from '../../../core/cert/verify.js';
import type { Api } from './context.js';
import { HttpError } from './errors.js';
import { ownerFilter, type Routes } from './route.js';
import { idParams, intentBody, verifyQuery } from './schemas.js';
import { verdictJson } from './verdict.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Vet (dry run), verify a certificate against this server's key, publish the key, look up a verdict. */
export function firewallRoutes(r: Routes, api: Api): void {
  const { firewall } = api.services;

  r.add({
    method: 'POST',
    url: '/v1/vet',
    auth: 'agent',
    tag: 'firewall',
    summary:
      'Vet an order intent (dry run): a signed verdict marked dry_run; nothing reserved, counted, throttled, bound, recorded or sent',
    description:
      "The agent is the token's. A denial is data: 200 with decision REJECT (or PAUSE_FOR_REAUTH, PENDING_APPROVAL), the reason codes and the signed certificate. 400 only for a body of the wrong shape.",
    body: intentBody,
    responses: { 200: 'the verdict (any decision)', 400: 'malformed body (names the field)', 401: 'no agent token' },
    async handler({ body, session, reply }) {
      const end = api.metrics.vetLatency.startTimer({ route: '/v1/vet' });
      const result = await firewall.vet(body, session!, { execute: false, remoteTool: 'http.vet' });
      end({ decision: result.certificate.payload.decision });
      return reply.type('application/json; charset=utf-8').send(verdictJson(result));
    },
  });

  r.add({
    method: 'POST',
    url: '/v1/verify',
    auth: 'none',
    tag: 'firewall',
    summary: "Verify a certificate against this server's pinned issuer key and re-derive its verdict",
    description:
      'Body: the certificate JSON as issued. The key inside a certificate is never trusted. The outcome is data: 200 with ok, status (valid, expired, invalid_signature, untrusted_issuer, malformed, rederive_mismatch, issued_in_future, issued_after_expiry, lifetime_too_long) and a message.',
    body: z.unknown(),
    query: verifyQuery,
    responses: { 200: 'the verification result (ok true or false)', 400: 'not JSON' },
    async handler({ body, query }) {
      return verifyCertificate(body, firewall.issuer, api.ed25519Verify, {
        now: api.deps.clock.now(),
        allowExpired: query.allow_expired ?? false,
        rederive: query.rederive ?? true,
      });
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/pubkey',
    auth: 'none',
    tag: 'firewall',
    summary: "The issuer's Ed25519 public key (pin it: certificates verify offline against it)",
    responses: { 200: '{ alg, key_id, public_key (base64url, raw 32 bytes), public_key_hex }' },
    async handler() {
      const { keyId, publicKey } = firewall.issuer;
      return { alg: 'Ed25519', key_id: keyId, public_key: base64url(publicKey), public_key_hex: hex(publicKey) };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/verdicts/:id',
    auth: 'reader',
    agentSees: "its own verdicts (another agent's answers 404, as if it did not exist)",
    tag: 'firewall',
    summary: 'A signed verdict by id, exactly as issued (the certificate JSON)',
    params: idParams,
    responses: { 200: 'the certificate', 401: 'no token', 404: 'no such verdict (or not yours)' },
    async handler({ params, reply, principal }) {
      const json = await api.deps.store.verdict(params.id);
      const owner = ownerFilter(principal);
      if (json === null || (owner !== null && certificateAgent(json) !== owner))
        throw new HttpError(404, 'VERDICT_NOT_FOUND', `VERDICT_NOT_FOUND: id=${params.id} (or it is not yours)`);
      return reply.type('application/json; charset=utf-8').send(json);
    },
  });
}
