import { createHash } from 'node:crypto';
import { certificateAgent } from '../../core/cert/certificate.js';

/** The resource URI of a verdict's full certificate. */
export const certificateUri = (id: string): string => `arbiter://certificates/${encodeURIComponent(id)}`;

/** sha256 (hex, prefixed) of a certificate's JSON text exactly as the certificate resource returns it. */
export const certificateSha256 = (json: string): string =>
  `sha256:${createHash('sha256').update(json, 'utf8').digest('hex')}`;

/**
 * The certificates one MCP session may read: those of verdicts issued to its agent. Recorded verdicts come from the
 * store (any session of the same agent); a dry run (`vet_trade`) writes nothing, so the session keeps the last
 * `keep` certificates it was answered with.
 */
export class SessionCertificates {
  private readonly recent = new Map<string, string>();

  constructor(
    private readonly agentId: string,
    private readonly stored: (id: string) => Promise<string | null>,
    private readonly keep = 64,
  ) {}

  remember(id: string, json: string): void {
    this.recent.delete(id);
    this.recent.set(id, json);
    if (this.recent.size > this.keep) this.recent.delete(this.recent.keys().next().value as string);
  }

  /** The certificate's JSON text, or null when there is none or it belongs to another agent. */
  async get(id: string): Promise<string | null> {
    const own = this.recent.get(id);
    if (own !== undefined) return own;
    const json = await this.stored(id);
    return json !== null && certificateAgent(json) === this.agentId ? json : null;
  }
}
