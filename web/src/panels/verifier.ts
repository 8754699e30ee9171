import {
  type Ed25519Backend,
  type OfflineVerifyResult,
  verifyCertificate,
  webCryptoHasEd25519,
} from '../../../src/client/index.js';
import type { Certificate } from '../../../src/core/cert/certificate.js';
import { get } from '../api.js';
import { byId, fill, h } from '../dom.js';
import { dateTime } from '../format.js';

interface PubKey {
  key_id: string;
  public_key: string;
}

/**
 * Checks a certificate in this browser with the project's own verifier (src/core/cert/verify.ts, RFC 8785 from
 * canonical.ts) and WebCrypto Ed25519 or @noble/ed25519, against a pinned issuer key. "Tamper a byte" changes one
 * character of the signed payload to show the signature failing.
 */
export class VerifierPanel {
  private readonly root = byId('verifier');
  private readonly text = h('textarea', {
    id: 'cert-input',
    'data-testid': 'cert-input',
    spellcheck: 'false',
    rows: 9,
    placeholder: 'Paste a certificate (JSON), or press "Verify in browser" on a verdict.',
  });
  private readonly keyId = h('input', { id: 'pin-key-id', 'aria-label': 'pinned key id', spellcheck: 'false' });
  private readonly key = h('input', {
    id: 'pin-key',
    'aria-label': 'pinned public key (base64url)',
    spellcheck: 'false',
  });
  private readonly backend = h(
    'select',
    { id: 'verify-backend', 'data-testid': 'verify-backend', 'aria-label': 'Ed25519 implementation' },
    h('option', { value: 'auto' }, 'auto'),
    h('option', { value: 'webcrypto' }, 'WebCrypto'),
    h('option', { value: 'noble' }, '@noble/ed25519 (pure JS)'),
  );
  private readonly out = h('div', { class: 'verify-out', 'data-testid': 'verify-result', 'aria-live': 'polite' });
  private readonly note = h('p', { class: 'tamper-note mono' });
  private server: PubKey | null = null;

  constructor() {
    const verify = h(
      'button',
      { type: 'button', class: 'btn primary', 'data-testid': 'verify', onclick: () => void this.verify() },
      'Verify',
    );
    const tamper = h(
      'button',
      { type: 'button', class: 'btn danger', 'data-testid': 'tamper', onclick: () => void this.tamper() },
      'Tamper a byte',
    );
    const reset = h(
      'button',
      { type: 'button', class: 'btn ghost small', onclick: () => this.pinServer() },
      'pin this server',
    );
    fill(
      this.root,
      h(
        'div',
        { class: 'pin' },
        h('label', { class: 'field' }, h('span', {}, 'Pinned issuer'), this.keyId),
        h('label', { class: 'field grow' }, h('span', {}, 'Public key (base64url)'), this.key),
        reset,
      ),
      this.text,
      h(
        'div',
        { class: 'row' },
        h('label', { class: 'field inline' }, h('span', {}, 'Ed25519'), this.backend),
        h('span', { class: 'grow' }),
        tamper,
        verify,
      ),
      this.note,
      this.out,
    );
    fill(this.out, h('p', { class: 'muted' }, 'The signature is checked here, not by the server.'));
    void this.load();
  }

  private async load(): Promise<void> {
    this.server = await get<PubKey>('/v1/pubkey');
    this.pinServer();
    const native = await webCryptoHasEd25519();
    this.backend.options[0]!.text = `auto (${native ? 'WebCrypto' : '@noble/ed25519'})`;
  }

  private pinServer(): void {
    if (!this.server) return;
    this.keyId.value = this.server.key_id;
    this.key.value = this.server.public_key;
  }

  /** Loads a certificate and verifies it at once. */
  open(cert: Certificate): void {
    this.text.value = JSON.stringify(cert, null, 2);
    this.note.textContent = '';
    this.root.closest('.card')?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    void this.verify();
  }

  private async verify(): Promise<void> {
    let cert: unknown;
    try {
      cert = JSON.parse(this.text.value);
    } catch (e) {
      this.render(
        {
          ok: false,
          status: 'malformed',
          message: `MALFORMED: not JSON (${(e as Error).message})`,
          backend: 'webcrypto',
        },
        null,
      );
      return;
    }
    const t0 = performance.now();
    const r = await verifyCertificate(
      cert,
      { keyId: this.keyId.value.trim(), publicKey: this.key.value.trim() },
      { allowExpired: true, rederive: true, backend: this.backend.value as Ed25519Backend | 'auto' },
    );
    this.render(r, cert as Certificate, performance.now() - t0);
  }

  private render(r: OfflineVerifyResult, cert: Certificate | null, ms = 0): void {
    const expires = cert?.payload?.expires_at ? Date.parse(cert.payload.expires_at) : Number.NaN;
    const expired = Number.isFinite(expires) && expires <= Date.now();
    const impossibleTimes = ['issued_in_future', 'issued_after_expiry', 'lifetime_too_long'].includes(r.status);
    const sigOk = r.ok || r.status === 'rederive_mismatch' || impossibleTimes;
    const check = (ok: boolean | null, label: string, detail: string) =>
      h(
        'li',
        { class: ok === null ? 'na' : ok ? 'ok' : 'bad' },
        h('span', { class: 'gi' }, ok === null ? '–' : ok ? '✓' : '✕'),
        h('b', {}, label),
        h('span', { class: 'muted' }, detail),
      );
    fill(
      this.out,
      h(
        'div',
        { class: `verify-head ${r.ok ? 'ok' : 'bad'}`, 'data-status': r.ok ? 'valid' : r.status },
        h('span', { class: 'big' }, r.ok ? '✓ VALID' : '✕ INVALID'),
        h('span', {}, r.ok ? 'signature good, verdict re-derived' : r.status.replace(/_/g, ' ')),
      ),
      h(
        'ul',
        { class: 'checks' },
        check(
          r.status === 'untrusted_issuer' ? false : r.status === 'malformed' ? null : true,
          'Issuer',
          cert?.payload?.issuer?.key_id ? `${cert.payload.issuer.key_id} vs pinned ${this.keyId.value}` : '',
        ),
        check(
          r.status === 'malformed' || r.status === 'untrusted_issuer' ? null : sigOk,
          'Ed25519 signature',
          `over the RFC 8785 payload · ${r.backend === 'webcrypto' ? 'WebCrypto' : '@noble/ed25519'}${ms ? ` · ${ms.toFixed(1)} ms` : ''}`,
        ),
        check(
          r.ok ? true : r.status === 'rederive_mismatch' ? false : null,
          'Re-derived',
          'same decision, reasons, gates and size',
        ),
        check(
          impossibleTimes ? false : Number.isFinite(expires) ? !expired : null,
          'Times',
          impossibleTimes
            ? 'impossible: issued in the future, after its expiry, or living longer than its mandate allows'
            : Number.isFinite(expires)
              ? `${expired ? 'expired' : 'valid until'} ${dateTime(expires)} (expiry shown, not required here)`
              : '',
        ),
      ),
      h('p', { class: 'muted small mono' }, r.message),
    );
  }

  private async tamper(): Promise<void> {
    const text = this.text.value;
    const start = text.indexOf('"payload"');
    if (start < 0) {
      this.note.textContent = 'Load a certificate first.';
      return;
    }
    // A digit inside the signed payload's effective size (or else its id): the JSON stays valid, the bytes change.
    const eff = text.indexOf('"effective"', start);
    let at = -1;
    if (eff >= 0) {
      const m = /\d/.exec(text.slice(eff + 11));
      if (m && text.slice(eff + 11, eff + 11 + m.index).indexOf('null') < 0) at = eff + 11 + m.index;
    }
    if (at < 0) {
      const id = text.indexOf('"id"', start);
      const m = /\d/.exec(text.slice(id + 5));
      at = m ? id + 5 + m.index : -1;
    }
    if (at < 0) return;
    const was = text[at]!;
    const now = String((Number(was) + 1) % 10);
    this.text.value = text.slice(0, at) + now + text.slice(at + 1);
    this.note.textContent = `tampered byte ${at}: '${was}' → '${now}'`;
    await this.verify();
  }
}
