import { nodeEd25519Verify } from '../adapters/crypto/node-signer.js';
import type { Certificate } from '../core/cert/certificate.js';
import { type PinnedIssuer, type VerifyOptions, type VerifyResult, verifyCertificate } from '../core/cert/verify.js';
import { verdictEnvelope } from './commands/vet.js';
import { stableJson } from './output.js';

export type FileVerifyResult =
  | VerifyResult
  | {
      readonly ok: false;
      readonly status: 'envelope_altered';
      readonly message: string;
      readonly certificate_id?: string;
    };

/**
 * Verifies the text of a saved verdict. A bare certificate is judged by its signature alone; a vet envelope
 * must also be byte-for-byte what vet wrote, and its readable summary must agree with the signed payload.
 */
export async function verifyVerdictText(
  text: string,
  pinned: PinnedIssuer,
  opts: VerifyOptions,
): Promise<FileVerifyResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, status: 'malformed', message: `MALFORMED: not valid JSON (${(e as Error).message})` };
  }
  const envelope = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'certificate' in parsed;
  const cert = (envelope ? (parsed as { certificate: unknown }).certificate : parsed) as Certificate;
  const result = await verifyCertificate(cert, pinned, nodeEd25519Verify, opts);
  if (!result.ok || !envelope) return result;
  // Every byte of the envelope must be what vet derives from the signed payload: nothing unsigned survives.
  if (stableJson(verdictEnvelope(cert)) !== text) {
    return {
      ok: false,
      status: 'envelope_altered',
      message: 'ENVELOPE_ALTERED: the file is not byte-for-byte what vet derives from the signed certificate',
      ...(result.certificate_id ? { certificate_id: result.certificate_id } : {}),
    };
  }
  return result;
}
