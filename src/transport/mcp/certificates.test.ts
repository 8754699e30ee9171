import { describe, expect, it } from 'vitest';
import { certificateSha256, certificateUri, SessionCertificates } from './certificates.js';

const cert = (id: string, agent: string) => JSON.stringify({ alg: 'Ed25519', payload: { id, agent_id: agent } });

describe('the certificates an MCP session may read', () => {
  const stored = new Map([
    ['v-alice', cert('v-alice', 'alice')],
    ['v-bob', cert('v-bob', 'bob')],
    ['v-broken', '{not json'],
  ]);
  const lookup = async (id: string) => stored.get(id) ?? null;

  it("reads its agent's recorded verdicts and never another agent's or an unreadable one", async () => {
    const s = new SessionCertificates('alice', lookup);
    expect(await s.get('v-alice')).toBe(stored.get('v-alice'));
    expect(await s.get('v-bob'), "bob's verdict is not found for alice").toBeNull();
    expect(await s.get('v-broken')).toBeNull();
    expect(await s.get('v-none')).toBeNull();
  });

  it('keeps the last N dry runs of the session, oldest out first', async () => {
    const s = new SessionCertificates('alice', lookup, 3);
    for (const id of ['d1', 'd2', 'd3', 'd4']) s.remember(id, cert(id, 'alice'));
    expect(await s.get('d1'), 'the oldest left').toBeNull();
    expect(await s.get('d4')).toBe(cert('d4', 'alice'));
    s.remember('d2', cert('d2', 'alice')); // seen again: now the newest
    s.remember('d5', cert('d5', 'alice'));
    expect(await s.get('d2')).not.toBeNull();
    expect(await s.get('d3')).toBeNull();
  });

  it('names a certificate by a URI and by the sha256 of its exact text', () => {
    expect(certificateUri('vdt_1')).toBe('arbiter://certificates/vdt_1');
    expect(certificateSha256('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
